/**
 * `npm run bench`: every benchmark, each printing figures measured side by side in one run.
 */
import { benchEngineVsKernel } from "./engine_vs_kernel.ts";

async function optional(path: string, fn: string): Promise<void> {
  try {
    const mod = (await import(path)) as Record<string, () => Promise<void>>;
    if (typeof mod[fn] === "function") await mod[fn]!();
  } catch (e) {
    console.error(`${path}: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}

await optional("./big_run.ts", "benchBigRun");
await benchEngineVsKernel();
await optional("./trace_off.ts", "benchTraceOff");
await optional("./analyze.ts", "benchAnalyze");
await optional("./cli.ts", "benchCli");
await optional("./site.ts", "benchSite");
