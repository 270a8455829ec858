/**
 * `mergeable analyze <pid|file|->`: read a smaps (a live process's, a saved file, or stdin) and
 * print the analyser's report. For a live PID it also reads /proc/PID/ksm_stat,
 * /proc/sys/vm/max_map_count and the running kernel's version.
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { release } from "node:os";
import { analyzeSmaps, formatReport, MAX_CHARS, SmapsInputError, type AnalyzeOptions } from "../analyze/index.ts";
import { resolveVersion } from "../engine/version.ts";
import { UsageError } from "./args.ts";

export interface AnalyzeCliOptions {
  kernel?: string;
  ksmStatFile?: string;
  maxMapCount?: string;
  all?: boolean;
  json?: boolean;
}

/** A failure reading the input: a sentence, exit code 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

function readInput(path: string, what: string): string {
  if (path === "-") return readFileSync(0, "utf8");
  let size = 0;
  try {
    size = statSync(path).size; // 0 for /proc files: read them anyway
  } catch (e) {
    throw ioError(e, path, what);
  }
  if (size > MAX_CHARS) {
    throw new SmapsInputError("too-large", `${path} is ${(size / 1024 / 1024).toFixed(0)} MB; the analyser accepts up to ${MAX_CHARS / 1024 / 1024} MB (a smaps of 65,530 VMAs is about 55 MB).`, null,
      "Keep only the lines the analyser needs: grep -E '^[0-9a-f]+-|^(VmFlags|Anonymous|KSM|Rss|Swap):' /proc/PID/smaps > smaps.txt");
  }
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw ioError(e, path, what);
  }
}

function ioError(e: unknown, path: string, what: string): InputError {
  const err = e as NodeJS.ErrnoException;
  const pid = /^\/proc\/(\d+)\//.exec(path)?.[1];
  if (err.code === "ENOENT") return new InputError(pid ? `no process with PID ${pid} (${path} does not exist)` : `${what} ${path} does not exist`);
  if (err.code === "EACCES" || err.code === "EPERM") return new InputError(`permission denied reading ${path}: run as the process's owner or as root`);
  if (err.code === "EISDIR") return new InputError(`${path} is a directory; expected a smaps file (cat /proc/PID/smaps > smaps.txt)`);
  return new InputError(`cannot read ${path}: ${err.message}`);
}

const tryRead = (p: string): string | undefined => {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
};

/** Resolve the target and options, analyse, and return the report text (or JSON). */
export function analyzeCommand(target: string, o: AnalyzeCliOptions): string {
  const live = /^\d+$/.test(target);
  const path = live ? `/proc/${target}/smaps` : target;
  const opts: AnalyzeOptions = { source: target === "-" ? "standard input" : path };
  if (o.kernel !== undefined) {
    resolveVersion(o.kernel); // throws KernelError(EINVAL) listing the supported versions
    opts.kernel = o.kernel;
    opts.kernelSource = "--kernel";
  } else if (live && process.platform === "linux") {
    try {
      resolveVersion(release());
      opts.kernel = release();
      opts.kernelSource = "uname -r";
    } catch {
      // A kernel the engine does not model: analyse with the kernel unknown.
    }
  }
  if (o.maxMapCount !== undefined) {
    if (!/^\d+$/.test(o.maxMapCount)) throw new UsageError(`--max-map-count must be a number, got "${o.maxMapCount}"`);
    opts.maxMapCount = Number(o.maxMapCount);
  } else if (live) {
    const m = tryRead("/proc/sys/vm/max_map_count");
    if (m && /^\d+\s*$/.test(m)) opts.maxMapCount = Number(m);
  }
  if (o.ksmStatFile !== undefined) opts.ksmStat = readInput(o.ksmStatFile, "ksm_stat file");
  else if (live) opts.ksmStat = tryRead(`/proc/${target}/ksm_stat`);
  const text = readInput(path, "smaps file");
  const a = analyzeSmaps(text, opts);
  if (o.json) return JSON.stringify(a, null, 1) + "\n";
  return formatReport(a, { maxEntries: o.all ? Infinity : 200 });
}
