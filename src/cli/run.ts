/**
 * `mergeable run <scenario.ts>`: check the options, then run the scenario in a worker_thread
 * (run_worker.mjs, scenario.ts) under a time limit. A worker can be terminated in the middle of
 * `while (true) {}`, which an in-process run cannot.
 * @module
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { Worker } from "node:worker_threads";
import { LATEST_VERSION, resolveVersion } from "../engine/version.ts";
import { SYSCALL_TICK } from "../engine/trace.ts";
import { DEFAULT_TIMEOUT_S } from "./help.mjs";
import { UsageError } from "./args.ts";
import type { RunJob } from "./scenario.ts";

export const FORMATS = ["maps", "smaps", "trace", "json", "c", "selftest", "vma-test"] as const;
export type Format = (typeof FORMATS)[number];

export interface RunOutput {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunCliOptions {
  kernel?: string;
  format?: string;
  /** Seconds, as given on the command line; "0" is no limit. */
  timeout?: string;
}

export async function runCommand(file: string, o: RunCliOptions = {}): Promise<RunOutput> {
  const format = o.format ?? "maps";
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
  const version = resolveVersion(o.kernel ?? LATEST_VERSION).name; // KernelError(EINVAL) lists the supported versions
  const timeout = o.timeout ?? String(DEFAULT_TIMEOUT_S);
  if (!/^\d+(\.\d+)?$/.test(timeout)) throw new UsageError(`--timeout must be a number of seconds (0: no limit), got "${timeout}"`);
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(err.code === "ENOENT" ? `scenario file ${file} does not exist` : `cannot read ${file}: ${err.message}`);
  }
  const job: RunJob = { source, fileName: basename(file), version, format: format as Format, calls: new Int32Array(new SharedArrayBuffer(4)) };
  return inWorker(job, Number(timeout));
}

/** How long the worker may take to load tsx, typescript and the engine before the scenario starts. */
const LOAD_LIMIT_S = 120;

function inWorker(job: RunJob, seconds: number): Promise<RunOutput> {
  const w = new Worker(new URL("./run_worker.mjs", import.meta.url), { workerData: job });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: RunOutput) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(sampler);
      void w.terminate();
      resolve(r);
    };
    // The count a second before the limit tells a busy loop from a big scenario still making calls.
    let before = 0;
    const sampler = setInterval(() => (before = Atomics.load(job.calls, 0)), 1000);
    // Loading tsx and typescript in the worker does not count against the scenario's limit.
    let timer = setTimeout(() => finish({ stdout: "", stderr: `error: the worker for ${job.fileName} did not start in ${LOAD_LIMIT_S} s\n`, code: 1 }), LOAD_LIMIT_S * 1000);
    w.on("message", (m: { started: true } | { result: RunOutput }) => {
      if ("result" in m) return finish(m.result);
      clearTimeout(timer);
      if (seconds > 0) timer = setTimeout(() => finish(expired(job, seconds, before)), seconds * 1000);
    });
    w.on("error", (e: Error & { code?: string }) => {
      const why = e.code === "ERR_WORKER_OUT_OF_MEMORY" ? "ran out of memory (the JavaScript heap limit)" : `failed: ${e.message}`;
      finish({ stdout: "", stderr: `error: ${job.fileName} ${why}\n`, code: 1 });
    });
    w.on("exit", (code) => finish({ stdout: "", stderr: `error: the worker running ${job.fileName} exited (${code}) without a result\n`, code: 1 }));
  });
}

function expired(job: RunJob, seconds: number, before: number): RunOutput {
  const calls = Atomics.load(job.calls, 0);
  const n = calls.toLocaleString("en-US");
  const so = calls === 0 ? `fewer than ${SYSCALL_TICK.toLocaleString("en-US")} syscalls so far` : `at least ${n} syscalls so far`;
  const why = calls > before
    ? "and it was still making calls: the scenario is large, not stuck; give it longer with --timeout"
    : "and none in its last second: an infinite loop?";
  return { stdout: "", stderr: `error: ${job.fileName} was stopped after ${seconds} s (--timeout ${seconds}): ${so}, ${why}\n`, code: 1 };
}
