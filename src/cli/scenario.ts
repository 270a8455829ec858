/**
 * The worker side of `mergeable run` (run_worker.mjs loads it in a worker_thread, so that the
 * main thread can stop a busy loop): transpile the scenario with typescript.transpileModule, run
 * it with the site's runner (the `mergeable` import bound to the engine), and render the last
 * process as maps, smaps, a trace, JSON or a C program.
 * @module
 */
import { createHook } from "node:async_hooks";
import { describeThrown, toC, type ScenarioResult, type Step } from "../engine/index.ts";
import { SYSCALL_TICK } from "../engine/trace.ts";
import ts from "typescript";
import { runScenarioJs } from "../site/scenario-runner.ts";
import { scenarioLine } from "../site/scenario-eval.ts";
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
  let compiled: { js: string; map: string };
  try {
    compiled = transpile(job.source, fileName);
  } catch (e) {
    if (e instanceof SyntaxError) return { stdout: "", stderr: `mergeable: syntax error in ${e.message}\n`, code: 1 };
    throw e;
  }
  const { js, map } = compiled;
  const rejections = trackRejections();
  let tick = 0;
  const onSyscall = () => Atomics.store(job.calls, 0, ++tick * SYSCALL_TICK);
  let result: ScenarioResult & { errorLine?: number };
  started(); // the time limit counts from here, not from loading typescript
  try {
    result = runScenarioJs(js, { version: job.version, fileName, onSyscall });
    // An unhandled rejection is reported after the microtasks drain: let it surface.
    await new Promise((r) => setImmediate(r));
  } finally {
    rejections.stop();
  }
  // The runner reports the line in the generated CommonJS; the source map gives the line in the file.
  if (result.errorLine !== undefined) result.errorLine = sourceLine(map, result.errorLine) ?? result.errorLine;
  const out = render(result, job.format, fileName);
  const r = rejections.first;
  if (r && !result.error) {
    const where = scenarioLine(r.reason, fileName) ?? scenarioLine(r.created, fileName);
    const line = where ? sourceLine(map, where.line) ?? where.line : null;
    const d = describeThrown(r.reason);
    const what = r.reason instanceof Error ? `${d.name}: ${d.message}` : d.message;
    out.stderr += `error: unhandled promise rejection: ${what}${line ? ` (${fileName}:${line})` : ""}\n`;
    out.code = 1;
  }
  return out;
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

/** typescript.transpileModule to CommonJS (the `mergeable` import becomes require("mergeable"), bound to the engine). */
function transpile(source: string, fileName: string): { js: string; map: string } {
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: false, sourceMap: true },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    const d = errors[0]!;
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
    throw new SyntaxError(`${fileName}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  }
  return { js: out.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ""), map: JSON.parse(out.sourceMapText ?? "{}").mappings ?? "" };
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Source line (1-based) of generated line `line` (1-based), from source-map v3 "mappings" (base64 VLQ). */
export function sourceLine(mappings: string, line: number): number | null {
  let srcLine = 0;
  const lines = mappings.split(";");
  for (let l = 0; l < lines.length; l++) {
    let found: number | null = null;
    for (const seg of lines[l]!.split(",")) {
      if (!seg) continue;
      const f: number[] = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          f.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      if (f.length >= 4) {
        srcLine += f[2]!;
        if (found === null) found = srcLine;
      }
    }
    if (l === line - 1) return found === null ? null : found + 1;
  }
  return null;
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
    case "json":
      body = JSON.stringify({ version: r.version, pid: p.pid, mapCount: p.vmas.length, vmas: p.vmas, maps: p.maps, log: r.log, error: r.error ? { ...r.error, stack: undefined, line: r.errorLine } : null }, null, 2) + "\n";
      return { stdout: body, stderr, code: r.error ? 1 : 0 };
  }
  // console.log output of the scenario goes first, except where it would break a C program.
  return format === "c" ? { stdout: body, stderr: log + stderr, code: r.error ? 1 : 0 } : { stdout: log + body, stderr, code: r.error ? 1 : 0 };
}
