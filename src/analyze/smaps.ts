/**
 * Parser of /proc/PID/smaps as fs/proc/task_mmu.c prints it: per VMA, the maps header
 * (show_vma_header_prefix() + name), "Field:   N kB" lines (show_smap()), and "VmFlags:"
 * (show_smap_vma_flags(), 3.8+). A reduced smaps with only the header and VmFlags lines
 * (grep -E '^[0-9a-f]+-|^VmFlags') is accepted too. Fast path: one pass with indexOf, no split.
 * @module
 */
import { SmapsInputError } from "./input_error.ts";
import { recognise } from "./recognise.ts";
import { quote as clip } from "./printable.ts";

/** One VMA as smaps shows it. */
export interface SmapsVma {
  /** Addresses as bigint, exact to the last hex digit (a double is not, above 2^53 and unaligned). */
  start: bigint;
  end: bigint;
  /** "rw-p". */
  perms: string;
  /** File offset in bytes (vm_pgoff << PAGE_SHIFT for file VMAs; 0 for anonymous ones). */
  offset: number;
  /** "fe:00". */
  dev: string;
  inode: number;
  /** The name column: a path, [heap], [stack], [anon:NAME], [vdso], or "". */
  name: string;
  /** The VmFlags: line content, e.g. "rd wr mr mw me ac mg". */
  vmflags: string;
  /** kB, or -1 when the line is absent (reduced input). */
  rss: number;
  anonymous: number;
  ksm: number;
  swap: number;
  /** 1-based line of the header. */
  line: number;
}

export interface ParsedSmaps {
  vmas: SmapsVma[];
  /** The gate VMA ([vsyscall]) is printed after the mm's VMAs but is not one of them (not in map_count). */
  gate: SmapsVma[];
  lines: number;
  /** The input had the size lines (full smaps) or only headers and VmFlags (reduced). */
  reduced: boolean;
  /** A VmFlags line had "sd": the kernel has CONFIG_MEM_SOFT_DIRTY. */
  softDirty: boolean;
  /** What was accepted but is not what the kernel prints (the first MAX_WARNINGS of them). */
  warnings: InputWarning[];
  /** How many warnings there were in all. */
  warningCount: number;
}

/** Input the analyser read but the kernel would not have printed: said, not silently accepted. */
export interface InputWarning {
  /** 1-based line, or null for the whole input. */
  line: number | null;
  text: string;
}

export const MAX_WARNINGS = 20;

export interface ParseOptions {
  /** Refuse inputs longer than this many characters (default 256 Mi). */
  maxChars?: number;
}

export type Progress = (p: { phase: "parse" | "analyse"; done: number; total: number }) => void;

/** Default size limit: a 65,530-VMA smaps is about 55 MB; 256 Mi characters leaves room for raised max_map_count. */
export const MAX_CHARS = 256 * 1024 * 1024;

/** TASK_SIZE_MAX with 5-level paging: anything at or above it is the gate VMA, not a user VMA. */
const USER_END = 1n << 56n;
/** VMAs start and end on pages (PAGE_SIZE 4 KiB on x86-64): vm_start and vm_end are page-aligned. */
const PAGE_MASK = 0xfffn;
/** A size line as show_smap() prints it (SEQ_PUT_DEC: "%8lu kB"). */
const KB = /^\s*(\d+) kB\s*$/;

const HEADER = /^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][sp]) ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+)(?: +(.*))?$/;

const SD = /(^| )sd( |$)/;
const isHexStart = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
const isFieldStart = (c: number) => c >= 65 && c <= 90; // "Size:", "VmFlags:", "THPeligible:"

/** Parse smaps text. Throws {@link SmapsInputError} with what was expected when it is not smaps. */
export function parseSmaps(text: string, opts: ParseOptions = {}, onProgress?: Progress): ParsedSmaps {
  const maxChars = opts.maxChars ?? MAX_CHARS;
  if (text.length > maxChars) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    throw new SmapsInputError("too-large", `the input is ${mb(text.length)}; the analyser accepts up to ${mb(maxChars)} (a smaps of 65,530 VMAs, the default vm.max_map_count, is about 55 MB).`, null,
      "Keep only the lines the analyser needs: grep -E '^[0-9a-f]+-|^(VmFlags|Anonymous|KSM|Rss|Swap):' /proc/PID/smaps > smaps.txt");
  }
  if (text.trim() === "") throw new SmapsInputError("empty", "the input is empty.");
  if (text.indexOf("\0") >= 0) throw new SmapsInputError("binary", "the input contains NUL bytes: it is binary data, not the text of a /proc file.");

  const vmas: SmapsVma[] = [];
  const gate: SmapsVma[] = [];
  const n = text.length;
  let pos = 0;
  let lineNo = 0;
  let cur: SmapsVma | null = null;
  let fieldLines = 0;
  let softDirty = false;
  let lastEnd = -1n;
  const warnings: InputWarning[] = [];
  let warningCount = 0;
  const warn = (line: number, text: string) => {
    if (++warningCount <= MAX_WARNINGS) warnings.push({ line, text });
  };
  const step = Math.max(1, Math.floor(n / 50));
  let nextReport = step;

  let firstMissing: SmapsVma | null = null;
  let missingBefore = 0;

  while (pos < n) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = n;
    lineNo++;
    let end = eol;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--; // CRLF from a Windows paste
    const c = text.charCodeAt(pos);
    if (isHexStart(c)) {
      const line = text.slice(pos, end);
      const m = HEADER.exec(line);
      if (!m) throw badLine(text, line, lineNo, vmas.length === 0, eol === n);
      if (cur && cur.vmflags === "\0" && !firstMissing) {
        firstMissing = cur;
        missingBefore = lineNo;
      }
      const v: SmapsVma = {
        start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), perms: m[3]!, offset: parseInt(m[4]!, 16),
        dev: m[5]!, inode: Number(m[6]), name: (m[7] ?? "").trimEnd(), vmflags: "\0",
        rss: -1, anonymous: -1, ksm: -1, swap: -1, line: lineNo,
      };
      if (v.name === "[rollup]") throw new SmapsInputError("rollup", "this is /proc/PID/smaps_rollup: it sums every VMA into one, so there are no VMAs to compare.", lineNo);
      if (v.end <= v.start) throw new SmapsInputError("bad-line", `the VMA ${m[1]}-${m[2]} ends before it starts.`, lineNo);
      if ((v.start | v.end) & PAGE_MASK) warn(lineNo, `the VMA ${m[1]}-${m[2]} is not page-aligned (4 KiB): the kernel's VMAs always are, so the line was edited or damaged; it is analysed as given.`);
      if (v.start >= USER_END || v.name === "[vsyscall]") gate.push(v);
      else {
        if (v.start < lastEnd) {
          throw new SmapsInputError("unsorted", `the VMA ${m[1]}-${m[2]} starts below the end of the VMA before it: smaps lists one process's VMAs in address order, so this looks like several files pasted together.`, lineNo, "Analyse one process at a time: cat /proc/PID/smaps");
        }
        lastEnd = v.end;
        vmas.push(v);
      }
      cur = v;
    } else if (isFieldStart(c)) {
      if (!cur) {
        throw recognise(text, lineNo) ?? new SmapsInputError("truncated-start", `the input starts inside a VMA: line ${lineNo} is "${clip(text.slice(pos, end))}", but smaps begins with a VMA header such as "55e0...-55e0... r--p 00000000 fe:00 260131  /usr/bin/cat". The paste is missing its beginning.`, lineNo, "Paste or save the whole file: cat /proc/PID/smaps > smaps.txt");
      }
      fieldLines++;
      // Only the lines the analysis reads are decoded; the others are validated by shape.
      if (c === 86 && text.startsWith("VmFlags:", pos)) {
        const fl = text.slice(pos + 8, end).trim();
        // Mnemonics are two letters: a last line cut inside one is a truncated paste.
        if (eol === n && /(^| )[a-z?]$/.test(fl)) throw new SmapsInputError("truncated-end", `the input ends in the middle of the "VmFlags:" line of the VMA at line ${cur.line}: the paste or file was cut short.`, lineNo, "Paste or save the whole file: cat /proc/PID/smaps > smaps.txt");
        cur.vmflags = fl;
        if (!softDirty) softDirty = SD.test(fl);
      } else if (c === 82 && text.startsWith("Rss:", pos)) cur.rss = kb(text, pos, pos + 4, end, lineNo, warn);
      else if (c === 65 && text.startsWith("Anonymous:", pos)) cur.anonymous = kb(text, pos, pos + 10, end, lineNo, warn);
      else if (c === 75 && text.startsWith("KSM:", pos)) cur.ksm = kb(text, pos, pos + 4, end, lineNo, warn);
      else if (c === 83 && text.startsWith("Swap:", pos)) cur.swap = kb(text, pos, pos + 5, end, lineNo, warn);
      else {
        const colon = text.indexOf(":", pos);
        if (colon < 0 || colon > end) throw badLine(text, text.slice(pos, end), lineNo, false, eol === n);
      }
    } else if (end === pos || text.slice(pos, end).trim() === "") {
      // blank lines: pastes often carry them at the ends
    } else {
      throw badLine(text, text.slice(pos, end), lineNo, vmas.length === 0 && gate.length === 0, eol === n);
    }
    pos = eol + 1;
    if (onProgress && pos >= nextReport) {
      onProgress({ phase: "parse", done: Math.min(pos, n), total: n });
      nextReport += step;
    }
  }

  if (!cur) throw recognise(text, 1) ?? new SmapsInputError("not-smaps", "no VMA header line was found.");
  const withFlags = vmas.filter((v) => v.vmflags !== "\0").length + gate.filter((v) => v.vmflags !== "\0").length;
  if (withFlags === 0) {
    if (fieldLines === 0) {
      throw new SmapsInputError("maps", "this is /proc/PID/maps: it has the VMA header lines but no \"VmFlags:\" lines, and the flags are what decide merging.", null, "Run: cat /proc/PID/smaps   (smaps, not maps)");
    }
    throw new SmapsInputError("no-vmflags", "this smaps has no \"VmFlags:\" lines: they were added in Linux 3.8 (the file comes from an older kernel, or the lines were filtered out).", null,
      "Run cat /proc/PID/smaps on a Linux 6.x kernel; if you filtered it, keep the VmFlags lines: grep -E '^[0-9a-f]+-|^VmFlags' /proc/PID/smaps");
  }
  if (firstMissing) {
    const v = firstMissing;
    throw new SmapsInputError("missing-vmflags", `the VMA ${hexRange(v)} (header at line ${v.line}) has no "VmFlags:" line before the next VMA header.`, missingBefore);
  }
  if (cur.vmflags === "\0") {
    throw new SmapsInputError("truncated-end", `the input ends inside the VMA ${hexRange(cur)} that starts at line ${cur.line}: it has no "VmFlags:" line, so the paste or file was cut short.`, cur.line, "Paste or save the whole file: cat /proc/PID/smaps > smaps.txt");
  }
  return { vmas, gate, lines: lineNo, reduced: fieldLines <= withFlags, softDirty, warnings, warningCount };
}

/** The kB of a size line; a value that is not a number is warned about and counted as absent (-1). */
function kb(text: string, line: number, from: number, to: number, lineNo: number, warn: (l: number, t: string) => void): number {
  const m = KB.exec(text.slice(from, to));
  if (m) return Number(m[1]);
  warn(lineNo, `"${clip(text.slice(line, to))}" is not a size in kB ("Rss:  128 kB"): it is left out of the sums.`);
  return -1;
}

const hexRange = (v: SmapsVma) => `${v.start.toString(16)}-${v.end.toString(16)}`;

function badLine(text: string, line: string, lineNo: number, atStart: boolean, isLast: boolean): SmapsInputError {
  if (!atStart && isLast) {
    return new SmapsInputError("truncated-end", `the input ends in the middle of a line ("${clip(line)}"): the paste or file was cut short.`, lineNo, "Paste or save the whole file: cat /proc/PID/smaps > smaps.txt");
  }
  if (atStart) {
    const known = recognise(text, lineNo);
    if (known) return known;
    if (/\nVmFlags:/.test(text.slice(0, 65536))) {
      return new SmapsInputError("truncated-start", `the input starts inside a VMA: line ${lineNo} is "${clip(line)}", but smaps begins with a VMA header such as "55e0...-55e0... r--p 00000000 fe:00 260131  /usr/bin/cat". The paste is missing its beginning.`, lineNo, "Paste or save the whole file: cat /proc/PID/smaps > smaps.txt");
    }
    return new SmapsInputError("not-smaps", `this does not look like /proc/PID/smaps: line ${lineNo} is "${clip(line)}", where smaps has a VMA header such as "55e0...-55e0... r--p 00000000 fe:00 260131  /usr/bin/cat".`, lineNo);
  }
  return new SmapsInputError("bad-line", `"${clip(line)}" is neither a VMA header ("start-end perms offset dev inode [name]") nor a "Field: value" line.`, lineNo);
}
