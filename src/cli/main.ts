/**
 * The `mergeable` command: run scenarios on a chosen kernel version, analyse a real process's
 * smaps, list the supported versions. Returns the exit code; never throws.
 * @module
 */
import { KernelError, LATEST_VERSION, VERSION_HISTORY } from "../engine/index.ts";
import { SmapsInputError } from "../analyze/input_error.ts";
import { parseArgs, opt, UsageError } from "./args.ts";
import { analyzeCommand, InputError } from "./analyze.ts";

export const HELP = `mergeable — Linux VMA merging and KSM, simulated and explained

Usage:
  mergeable run <scenario.ts> [--kernel 6.16] [--format maps|smaps|trace|json|c]
      Run a scenario (a TypeScript module that imports from "mergeable" and calls boot()
      without a version) on one kernel version (default ${LATEST_VERSION}) and print its last
      process: /proc/PID/maps (default), smaps, the syscall trace with the kernel's
      explanations, JSON, or a C program that replays it on a real kernel.

  mergeable analyze <pid|file|-> [--kernel 6.x] [--ksm-stat FILE] [--max-map-count N] [--all] [--json]
      Explain a real address space: every pair of touching VMAs that did not merge and why,
      in kernel terms, runs of fragmentation, VMA count against vm.max_map_count, KSM figures.
      <pid> reads /proc/PID/smaps (and ksm_stat, max_map_count, uname -r); <file> a saved
      smaps (cat /proc/PID/smaps > smaps.txt); "-" standard input.

  mergeable versions          the kernel versions the engine models
  mergeable --help            this text

Exit status: 0 success, 1 the scenario failed (a refused syscall, an exception),
2 bad usage or bad input.
`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case "--help":
      case "-h":
      case "help":
        io.out(HELP);
        return cmd === undefined ? 2 : 0;
      case "versions": {
        parseArgs(rest, [], []);
        // Each profile, then the fields its release changes and the commits behind them.
        io.out(VERSION_HISTORY.map((c) => (c.release === LATEST_VERSION ? `${c.release} (latest, the default)` : c.release) +
          (Object.keys(c.set).length ? `\n  ${Object.entries(c.set).map(([f, v]) => `${f}=${v}`).join(", ")}` : "") +
          `\n  ${c.why}`).join("\n") + "\n");
        return 0;
      }
      case "run": {
        const a = parseArgs(rest, ["kernel", "format"], []);
        if (a.positional.length !== 1) throw new UsageError("run needs exactly one scenario file: mergeable run <scenario.ts>");
        const { runCommand } = await import("./run.ts"); // loads typescript: only when needed
        const r = runCommand(a.positional[0]!, opt(a, "kernel"), opt(a, "format") ?? "maps");
        io.out(r.stdout);
        if (r.stderr) io.err(r.stderr);
        return r.code;
      }
      case "analyze": {
        const a = parseArgs(rest, ["kernel", "ksm-stat", "max-map-count"], ["all", "json"]);
        if (a.positional.length !== 1) throw new UsageError("analyze needs one target: a PID, a smaps file, or - for standard input");
        io.out(analyzeCommand(a.positional[0]!, {
          kernel: opt(a, "kernel"), ksmStatFile: opt(a, "ksm-stat"), maxMapCount: opt(a, "max-map-count"),
          all: a.options.has("all"), json: a.options.has("json"),
        }));
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${cmd}" (commands: run, analyze, versions; --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`mergeable: ${e.message}\nRun "mergeable --help" for usage.\n`);
      return 2;
    }
    if (e instanceof SmapsInputError || e instanceof InputError) {
      io.err(`mergeable: ${e.message}\n`);
      return 2;
    }
    if (e instanceof KernelError) {
      io.err(`mergeable: ${e.message}\n`);
      return 2;
    }
    if (e instanceof SyntaxError) {
      io.err(`mergeable: syntax error in ${e.message}\n`);
      return 1;
    }
    io.err(`mergeable: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
}
