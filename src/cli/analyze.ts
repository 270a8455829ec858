/**
 * `mergeable analyze <pid|file|->`: read a smaps (a live process's, a saved file, or stdin) and
 * print the analyser's report. For a live PID it also reads /proc/PID/ksm_stat,
 * /proc/sys/vm/max_map_count and the running kernel's version.
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { release } from "node:os";
import { analyzeSmaps, formatReport, MAX_CHARS, SmapsInputError, type AnalyzeOptions } from "../analyze/index.ts";
import { KSM_STAT_HINT, type InputFile } from "../analyze/input_error.ts";
import { printableText } from "../analyze/printable.ts";
import { parseMaxMapCount } from "../analyze/max_map_count.ts";
import { resolveVersion } from "../engine/version.ts";
import { InputError, UsageError } from "./args.ts";

export interface AnalyzeCliOptions {
  kernel?: string;
  ksmStatFile?: string;
  maxMapCount?: string;
  all?: boolean;
  json?: boolean;
}

/** Which input a path is: the smaps, or the --ksm-stat file (its own hints). */
type Kind = { what: string; file: InputFile; trim: string };
const SMAPS: Kind = { what: "smaps file", file: "smaps", trim: "Keep only the lines the analyser needs: grep -E '^[0-9a-f]+-|^(VmFlags|Anonymous|KSM|Rss|Swap):' /proc/PID/smaps > smaps.txt" };
const KSM_STAT: Kind = { what: "ksm_stat file", file: "ksm_stat", trim: KSM_STAT_HINT };

const tooLarge = (what: string, k: Kind) =>
  new SmapsInputError("too-large", `${what}; the analyser accepts up to ${MAX_CHARS / 1024 / 1024} MB (a smaps of 65,530 VMAs is about 55 MB).`, null, k.trim, k.file);

async function readInput(path: string, k: Kind): Promise<string> {
  if (path === "-") return readStdin(k);
  let size = 0;
  try {
    size = statSync(path).size; // 0 for /proc files: read them anyway
  } catch (e) {
    throw ioError(e, path, k.what);
  }
  if (size > MAX_CHARS) throw tooLarge(`${path} is ${(size / 1024 / 1024).toFixed(0)} MB`, k);
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw ioError(e, path, k.what);
  }
}

/** Standard input up to the cap: a larger (or endless) stream is refused once the cap is passed, not read to its end. */
async function readStdin(k: Kind): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_CHARS) {
      process.stdin.destroy();
      throw tooLarge(`standard input is more than ${MAX_CHARS / 1024 / 1024} MB`, k);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
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
export async function analyzeCommand(target: string, o: AnalyzeCliOptions): Promise<string> {
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
    const m = parseMaxMapCount(o.maxMapCount);
    if ("error" in m) throw new UsageError(`--max-map-count: ${m.error}`);
    opts.maxMapCount = m.value;
  } else if (live) {
    const m = tryRead("/proc/sys/vm/max_map_count");
    if (m && /^\d+\s*$/.test(m)) opts.maxMapCount = Number(m);
  }
  if (o.ksmStatFile !== undefined) opts.ksmStat = await readInput(o.ksmStatFile, KSM_STAT);
  else if (live) opts.ksmStat = tryRead(`/proc/${target}/ksm_stat`);
  const text = await readInput(path, SMAPS);
  const a = analyzeSmaps(text, opts);
  // The report quotes VMA names, which are the input's bytes: no control characters to the terminal.
  if (o.json) return jsonText(a);
  return printableText(formatReport(a, { maxEntries: o.all ? Infinity : 200 }));
}

/**
 * The analysis as JSON: addresses (bigint) as hex strings as smaps writes them; DEL, C1 and bidi
 * controls, which JSON.stringify leaves raw, as \u escapes (JSON.stringify escapes C0 itself).
 */
function jsonText(a: unknown): string {
  const json = JSON.stringify(a, (_k, v: unknown) => (typeof v === "bigint" ? v.toString(16) : v), 1);
  return json.replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) + "\n";
}
