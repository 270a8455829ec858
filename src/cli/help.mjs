// The `mergeable` help texts and version list, in plain JavaScript so that bin/mergeable.mjs can
// answer --help and `versions` without loading tsx or the TypeScript sources (start-up time).
import { readFileSync } from "node:fs";

/**
 * "6.1", ... "6.18.8": the engine's profiles, the `release:` of each row of VERSION_HISTORY in
 * src/engine/version.ts (the one list; tests/cli/run.test.ts checks this equals versions()),
 * read without compiling it.
 */
const HISTORY = /^export const VERSION_HISTORY\b[^]*?^\];$/m.exec(readFileSync(new URL("../engine/version.ts", import.meta.url), "utf8"));
if (!HISTORY) throw new Error("src/engine/version.ts has no 'export const VERSION_HISTORY ... ];' table");
export const VERSIONS = [...HISTORY[0].matchAll(/\brelease: "(\d+\.\d+(?:\.\d+)?)"/g)].map((m) => m[1]);
export const LATEST = VERSIONS[VERSIONS.length - 1];
/** Seconds a scenario may run before `mergeable run` stops it. */
export const DEFAULT_TIMEOUT_S = 30;

const RUN = `  mergeable run <scenario.ts> [--kernel 6.16] [--format maps|smaps|trace|json|c|selftest|vma-test] [--timeout S]
      Run a scenario (a TypeScript module that imports from "mergeable" and calls boot()
      without a version) on one kernel version (default ${LATEST}) and print its last
      process: /proc/PID/maps (default), smaps, the syscall trace with the kernel's
      explanations, JSON, a C program that replays it on a real kernel, a TEST_F(merge, ...)
      for tools/testing/selftests/mm/merge.c (selftest) or a test function for
      tools/testing/vma/vma.c of its last call (vma-test). The scenario is
      stopped after --timeout seconds (default ${DEFAULT_TIMEOUT_S}; 0: no limit).
`;
const ANALYZE = `  mergeable analyze <pid|file|-> [--kernel 6.x] [--ksm-stat FILE] [--max-map-count N] [--all] [--json]
      Explain a real address space: every pair of touching VMAs that did not merge and why,
      in kernel terms, runs of fragmentation, VMA count against vm.max_map_count, KSM figures.
      <pid> reads /proc/PID/smaps (and ksm_stat, max_map_count, uname -r); <file> a saved
      smaps (cat /proc/PID/smaps > smaps.txt); "-" standard input.
`;
const VERSIONS_HELP = `  mergeable versions [--verbose]
      The kernel versions the engine models; --verbose adds the fields each release
      changes and the commits behind them.
`;
const STATUS = `Exit status: 0 success, 1 the scenario failed (a refused syscall, an exception, the time
limit), 2 bad usage or bad input.
`;

export const HELP = `mergeable — Linux VMA merging and KSM, simulated and explained

Usage:
${RUN}
${ANALYZE}
${VERSIONS_HELP}  mergeable --help            this text
  mergeable <command> --help  one command's usage

${STATUS}`;

/** Each command's own --help. */
export const COMMAND_HELP = {
  run: `Usage:\n${RUN}\n${STATUS}`,
  analyze: `Usage:\n${ANALYZE}\n${STATUS}`,
  versions: `Usage:\n${VERSIONS_HELP}`,
};

/** `mergeable versions`: one a line, the default marked. */
export const versionsText = () => VERSIONS.map((v) => (v === LATEST ? `${v} (latest, the default)` : v)).join("\n") + "\n";

/** The help to print for argv, or null when argv is not a request for help. */
export function helpFor(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === "--help" || cmd === "-h" || cmd === "help") return HELP;
  const asked = rest.some((a) => a === "--help" || a === "-h");
  return asked && Object.hasOwn(COMMAND_HELP, cmd) ? COMMAND_HELP[cmd] : null;
}
