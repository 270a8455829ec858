/**
 * Bad analyser input: what was found, what was expected, and what to run instead.
 * Pure data (no Node/DOM), so the page's Worker can post it and the CLI can print it.
 * @module
 */

export type InputErrorCode =
  | "empty"
  | "too-large"
  | "binary"
  | "maps" // /proc/PID/maps: headers without VmFlags
  | "no-vmflags" // smaps of a kernel older than 3.8 (VmFlags: added in 3.8)
  | "truncated-end" // the paste stops inside the last VMA
  | "truncated-start" // the paste starts inside a VMA
  | "missing-vmflags" // a VMA in the middle lacks its VmFlags line
  | "unsorted" // VMAs out of address order / overlapping: several files concatenated?
  | "bad-line" // a line that is neither a VMA header nor a "Field: value" line
  | "rollup" // /proc/PID/smaps_rollup
  | "status" // /proc/PID/status
  | "numa-maps" // /proc/PID/numa_maps
  | "other-os" // FreeBSD procstat, macOS vmmap, Solaris pmap, Windows
  | "not-smaps";

/** The command that produces what the analyser wants. */
export const SMAPS_HINT = "Run: cat /proc/PID/smaps   (or: npx mergeable analyze PID)";
export const KSM_STAT_HINT = "Run: cat /proc/PID/ksm_stat   (Linux 6.1+)";

/** Which of the analyser's inputs was wrong: each has its own "Expected:" sentence. */
export type InputFile = "smaps" | "ksm_stat";
const EXPECTED: Record<InputFile, string> = {
  smaps: "the text of /proc/PID/smaps (Linux), one header line per VMA followed by its \"Field: value\" lines and a \"VmFlags:\" line.",
  ksm_stat: "the text of /proc/PID/ksm_stat (Linux 6.1+), \"name value\" lines such as \"ksm_rmap_items 12\" and \"ksm_merge_any: yes\".",
};

export class SmapsInputError extends Error {
  override readonly name = "SmapsInputError";
  constructor(
    readonly code: InputErrorCode,
    /** What is wrong, in one or two sentences. */
    readonly problem: string,
    /** 1-based line of the input the problem was found at, if any. */
    readonly line: number | null = null,
    /** What to do about it; defaults to the smaps hint. */
    readonly hint: string = SMAPS_HINT,
    readonly file: InputFile = "smaps",
  ) {
    super(`${line !== null ? `line ${line}: ` : ""}${problem}\nExpected: ${EXPECTED[file]}\n${hint}`);
  }

  /** Plain-data form, for postMessage. */
  toJSON(): { name: string; code: InputErrorCode; problem: string; line: number | null; hint: string; file: InputFile; message: string } {
    return { name: this.name, code: this.code, problem: this.problem, line: this.line, hint: this.hint, file: this.file, message: this.message };
  }
}
