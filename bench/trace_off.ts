/**
 * "Nothing is formatted when tracing is off", measured. The engine is bundled with every
 * formatting entry point counted: each reason function of src/engine/merge_reasons.ts (the
 * wording of merge decisions), hexAddr() (in nearly every trace line), Tracer.event() and
 * ksmd's event(). The same workload (bench/trace_workload.ts) then runs with tracing off, where
 * each count must be 0, and on, where each must not be; the time per call of both is printed.
 */
import { readFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const tmp = join(here, "..", "tests", ".tmp", "bench");

type Counts = Record<string, number>;
declare global {
  var __formatCalls: Counts | undefined;
}

/** Rewrites three engine files in the bundle so that each formatting call counts itself. */
const counting: Plugin = {
  name: "count-formatting",
  setup(b) {
    b.onLoad({ filter: /src[\\/]engine[\\/](merge|trace|ksmd[\\/]index)\.ts$/ }, (args) => {
      let s = readFileSync(args.path, "utf8");
      const count = (name: string) => `(globalThis.__formatCalls[${JSON.stringify(name)}] = (globalThis.__formatCalls[${JSON.stringify(name)}] ?? 0) + 1)`;
      const replace = (from: string, to: string) => {
        if (!s.includes(from)) throw new Error(`bench/trace_off.ts: "${from}" is no longer in ${args.path}`);
        s = s.replace(from, to);
      };
      if (args.path.endsWith("merge.ts")) {
        // Every function merge.ts calls through `reason.` (the whole wording module) counts as one.
        replace(`import * as reason from "./merge_reasons.ts";`, `import * as reasonFns from "./merge_reasons.ts";
const reason = new Proxy(reasonFns, { get(t, k) {
  const v = (t as Record<string | symbol, unknown>)[k];
  return typeof v !== "function" ? v : (...a: unknown[]) => (${count("merge_reasons.*()")}, v(...a));
} }) as typeof reasonFns;`);
      } else if (args.path.endsWith("trace.ts")) {
        replace(`export const hexAddr = (n: number): string => "0x"`, `export const hexAddr = (n: number): string => ${count("hexAddr()")} && "0x"`);
        replace(`    if (!this.events || !this.on) return;`, `    ${count("Tracer.event()")};\n    if (!this.events || !this.on) return;`);
      } else {
        replace(`    const tr = this.kernel.tracer;\n    if (++this.events`, `    ${count("ksmd event()")};\n    const tr = this.kernel.tracer;\n    if (++this.events`);
      }
      return { contents: s, loader: "ts" };
    });
  },
};

export async function benchTraceOff(rounds = 2000): Promise<void> {
  mkdirSync(tmp, { recursive: true });
  const out = join(tmp, "trace_workload.mjs");
  await build({ entryPoints: [join(here, "trace_workload.ts")], bundle: true, platform: "node", format: "esm", outfile: out, logLevel: "warning", plugins: [counting] });
  const { traceWorkload } = (await import(pathToFileURL(out).href)) as typeof import("./trace_workload.ts");
  const run = (trace: boolean) => {
    globalThis.__formatCalls = {};
    const r = traceWorkload(rounds, trace);
    return { ...r, counts: globalThis.__formatCalls };
  };
  run(false); // warm-up
  run(true);
  let off = run(false);
  let on = run(true);
  for (let i = 0; i < 2; i++) {
    const o = run(false);
    const n = run(true);
    if (o.ns < off.ns) off = o;
    if (n.ns < on.ns) on = n;
  }
  if (off.mapCount !== on.mapCount || off.calls !== on.calls) throw new Error("tracing changed what the workload did");
  const names = [...new Set([...Object.keys(on.counts), ...Object.keys(off.counts)])].sort();
  console.log(`\nTracing off vs on: ${off.calls} calls (mprotect, mmap, munmap, mremap, brk, madvise, memset; ksmd scans), best of 3`);
  console.log("formatting calls          tracing off   tracing on");
  let bad = false;
  for (const n of names) {
    const o = off.counts[n] ?? 0;
    const t = on.counts[n] ?? 0;
    if (o !== 0 || t === 0) bad = true;
    console.log(`${n.padEnd(24)} ${String(o).padStart(12)} ${String(t).padStart(12)}`);
  }
  if (!names.includes("merge_reasons.*()") || !names.includes("ksmd event()")) bad = true;
  console.log(`time per call: tracing off ${(off.ns / off.calls).toFixed(0)} ns, on ${(on.ns / on.calls).toFixed(0)} ns (${(on.ns / off.ns).toFixed(2)}x); steps recorded: off ${off.steps}, on ${on.steps}`);
  console.log(bad ? "FAIL: something is formatted with tracing off (or a counter never fired with tracing on)" : "ok: with tracing off nothing above is called");
  if (bad) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchTraceOff();
