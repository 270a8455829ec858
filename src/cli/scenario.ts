/**
 * The worker side of `mergeable run` (run_worker.mjs loads it in a worker_thread, so that the
 * main thread can stop a busy loop): transpile the scenario with sucrase (as the page's run worker
 * does), run it with the `mergeable` import bound to the engine, and render the last
 * process as maps, smaps, a trace, JSON or a C program.
 * @module
 */
import { createHook } from "node:async_hooks";
import * as engine from "../engine/index.ts";
import { describeThrown, toC, toSelftest, toVmaTest, type ScenarioResult, type Step } from "../engine/index.ts";
import { SYSCALL_TICK } from "../engine/trace.ts";
import { scenarioFunction, scenarioLine } from "../site/scenario-eval.ts";
import { transpileScenario } from "../site/transpile.ts";
import type { Format, RunOutput } from "./run.ts";


/** One step as strace would print it, with the kernel's explanation events indented under it. */
export function traceText(steps: readonly Step[]): string {
  let out = "";
  for (const s of steps) {
    out += `${s.text}${s.errno ? ` (${s.errno.message})` : ""}\n`;
    for (const e of s.events) out += `    ${e.kind} ${e.fn}: ${e.text}\n`;
  }
  return out;
}

/** What the main thread sends: the scenario, and a shared counter of the syscalls made so far. */
export interface RunJob {
  source: string;
  fileName: string;
  version: string;
  format: Format;
  /** [0]: syscalls so far, counted every SYSCALL_TICK by the engine's onSyscall (read on timeout). */
  calls: Int32Array;
}

/** `started` tells the main thread the scenario itself begins (its time limit starts then). */
export async function runJob(job: RunJob, started: () => void): Promise<RunOutput> {
  const { fileName } = job;
  let js: string;
  try {
    js = transpile(job.source, fileName);
  } catch (e) {
    if (e instanceof SyntaxError) return { stdout: "", stderr: `mergeable: syntax error in ${e.message}\n`, code: 1 };
    throw e;
  }
  const rejections = trackRejections();
  let tick = 0;
  const onSyscall = () => Atomics.store(job.calls, 0, ++tick * SYSCALL_TICK);
  let result: ScenarioResult & { errorLine?: number };
  const log: string[] = [];
  const body = scenarioFunction(js, engine as unknown as Record<string, unknown>, fileName, log);
  let thrown: unknown;
  started(); // the time limit counts from here, not from loading the engine
  try {
    result = engine.runScenario(() => {
      try { body(); } catch (e) { thrown = e; throw e; }
    }, { version: job.version, log, onSyscall, ...recorded(job.format) });
    // An unhandled rejection is reported after the microtasks drain: let it surface.
    await new Promise((r) => setImmediate(r));
  } finally {
    rejections.stop();
  }
  // sucrase keeps every line where it was: a line in the generated code is the line in the file.
  if (result.error && thrown !== undefined) result.errorLine = scenarioLine(thrown, fileName)?.line;
  const out = render(result, job.format, fileName);
  const r = rejections.first;
  if (r && !result.error) {
    const where = scenarioLine(r.reason, fileName) ?? scenarioLine(r.created, fileName);
    const line = where?.line ?? null;
    const d = describeThrown(r.reason);
    const what = r.reason instanceof Error ? `${d.name}: ${d.message}` : d.message;
    out.stderr += `error: unhandled promise rejection: ${what}${line ? ` (${fileName}:${line})` : ""}\n`;
    out.code = 1;
  }
  return out;
}

/**
 * Record only what the format prints: trace and c print every step in full; maps, smaps and json
 * print the final state (a step number in an error message at most), so their steps are brief.
 */
function recorded(format: Format): { traceDetail?: number; smaps: boolean } {
  return { traceDetail: format === "trace" || format === "c" ? undefined : 0, smaps: format === "smaps" };
}

/**
 * Rejected promises nobody handled while the scenario ran, with where each promise was made
 * (async_hooks init), for a reason that is not an Error and so has no stack of its own.
 */
function trackRejections() {
  const made = new WeakMap<object, Error>();
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type !== "PROMISE") return;
      const created = new Error("promise created");
      made.set(resource as object, created); // V8 formats the stack only if it is read
    },
  });
  const seen: { reason: unknown; created: Error | undefined }[] = [];
  const onRejection = (reason: unknown, promise: Promise<unknown>) => seen.push({ reason, created: made.get(promise) });
  process.on("unhandledRejection", onRejection);
  hook.enable();
  return {
    get first() { return seen[0]; },
    stop() { hook.disable(); process.off("unhandledRejection", onRejection); },
  };
}

/** transpileScenario(), its syntax error as `file:line:column: message`. */
function transpile(source: string, fileName: string): string {
  const out = transpileScenario(source, fileName);
  if ('js' in out) return out.js;
  const p = out.problem;
  throw new SyntaxError(`${fileName}${p.line ? `:${p.line}:${p.column}` : ""}: ${p.message}`);
}

function render(r: ScenarioResult & { errorLine?: number }, format: Format, fileName: string): RunOutput {
  const log = r.log.map((l) => l + "\n").join("");
  const k = r.kernels[r.kernels.length - 1];
  const p = k?.processes[k.processes.length - 1];
  let stderr = "";
  if (r.error) {
    const where = r.errorLine ? ` (${fileName}:${r.errorLine})` : "";
    stderr = `error: ${r.error.message}${where}${r.error.step !== undefined ? ` at step ${r.error.step}` : ""}\n`;
  }
  if (!k || !p) {
    return { stdout: log, stderr: stderr || `error: ${fileName} booted no kernel or spawned no process: call boot() and kernel.spawn()\n`, code: 1 };
  }
  const steps = k.trace.filter((s) => s.pid === p.pid);
  let body: string;
  switch (format) {
    case "maps": body = p.maps; break;
    case "smaps": body = p.smaps; break;
    case "trace": body = traceText(steps); break;
    case "c": body = toC(k.trace, p.pid); break;
    case "selftest": case "vma-test": {
      // A candidate upstream test; EINVAL with the reason when the scenario does not fit that harness.
      const name = fileName.replace(/\.[^.]*$/, "").replace(/\W/g, "_").replace(/^(\d)/, "_$1");
      try {
        body = format === "selftest" ? toSelftest(k.trace, { pid: p.pid, name, version: r.version })
          : toVmaTest(k.trace, { pid: p.pid, name, version: r.version });
      } catch (e) {
        return { stdout: "", stderr: log + stderr + `error: --format ${format}: ${(e as Error).message}\n`, code: 1 };
      }
      break;
    }
    case "json":
      body = JSON.stringify({ version: r.version, pid: p.pid, mapCount: p.vmas.length, vmas: p.vmas, maps: p.maps, log: r.log, error: r.error ? { ...r.error, stack: undefined, line: r.errorLine } : null }, null, 2) + "\n";
      return { stdout: body, stderr, code: r.error ? 1 : 0 };
  }
  // console.log output of the scenario goes first, except where it would break a C program.
  return format === "c" || format === "selftest" || format === "vma-test" ? { stdout: body, stderr: log + stderr, code: r.error ? 1 : 0 } : { stdout: log + body, stderr, code: r.error ? 1 : 0 };
}
