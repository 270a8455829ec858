/**
 * The `mergeable` command: run scenarios on a chosen kernel version, analyse a real process's
 * smaps, list the supported versions. Returns the exit code; never throws.
 * @module
 */
import { KernelError } from "../engine/errno.ts";
import { LATEST_VERSION, VERSION_HISTORY } from "../engine/version.ts";
import { SmapsInputError } from "../analyze/input_error.ts";
import { printableText } from "../analyze/printable.ts";
import { parseArgs, opt, InputError, UsageError } from "./args.ts";
import { helpFor, versionsText } from "./help.mjs";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [cmd, ...rest] = argv;
  // Every message to stderr passes through printableText(): it may quote the input's bytes.
  const err = (s: string) => io.err(printableText(s));
  try {
    const help = helpFor(argv);
    if (help !== null) {
      io.out(help);
      return cmd === undefined ? 2 : 0;
    }
    switch (cmd) {
      case "versions": {
        const a = parseArgs(rest, [], ["verbose"]);
        io.out(a.options.has("verbose") ? versionsVerbose() : versionsText());
        return 0;
      }
      case "run": {
        const a = parseArgs(rest, ["kernel", "format", "timeout"], []);
        if (a.positional.length !== 1) throw new UsageError("run needs exactly one scenario file: mergeable run <scenario.ts>");
        const { runCommand } = await import("./run.ts"); // starts the worker that loads typescript
        const r = await runCommand(a.positional[0]!, { kernel: opt(a, "kernel"), format: opt(a, "format"), timeout: opt(a, "timeout") });
        io.out(r.stdout);
        if (r.stderr) err(r.stderr);
        return r.code;
      }
      case "analyze": {
        const a = parseArgs(rest, ["kernel", "ksm-stat", "max-map-count"], ["all", "json"]);
        if (a.positional.length !== 1) throw new UsageError("analyze needs one target: a PID, a smaps file, or - for standard input");
        const { analyzeCommand } = await import("./analyze.ts"); // the analyser and the engine
        io.out(await analyzeCommand(a.positional[0]!, {
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
      err(`mergeable: ${e.message}\nRun "mergeable --help" for usage.\n`);
      return 2;
    }
    if (e instanceof SmapsInputError || e instanceof KernelError || e instanceof InputError) {
      err(`mergeable: ${(e as Error).message}\n`);
      return 2;
    }
    err(`mergeable: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
}

/** `mergeable versions --verbose`: each profile, the fields its release changes, and why. */
function versionsVerbose(): string {
  return VERSION_HISTORY.map((c) => (c.release === LATEST_VERSION ? `${c.release} (latest, the default)` : c.release) +
    (Object.keys(c.set).length ? `\n  ${Object.entries(c.set).map(([f, v]) => `${f}=${v}`).join(", ")}` : "") +
    `\n  ${c.why}`).join("\n") + "\n";
}
