// Every chapter scenario (content/**/*.ts) that does not depend on ksmd timing, run on the engine
// with the running kernel's profile and replayed on the real kernel: every call and every VMA of
// every kernel the scenario booted on that version must agree.
import { afterAll, beforeAll, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as engine from "mergeable";
import { transpileScenario } from "../../src/site/scenario-runner.ts";
import { scenarioFunction } from "../../src/site/scenario-eval.ts";
import { describeKernel, runningConfig } from "./capability.ts";
import { checkTrace, runningVersion } from "./harness.ts";
import { REPO, Replayer } from "./replayer.ts";

/** Scenarios whose outcome depends on ksmd scanning (timing), which a replay cannot reproduce. */
const KSMD = /\bksmd\b|\.scan\(|\bsleep\(|\btick\(/;

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? scenarioFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const files = scenarioFiles(join(REPO, "content")).map((f) => [relative(REPO, f), f] as const);

describeKernel("chapter scenarios: engine vs real kernel", () => {
  let r: Replayer;
  beforeAll(() => {
    r = Replayer.start();
  });
  afterAll(() => r.close());
  const version = runningVersion();
  // boot() inside a chapter gets the running kernel's Kconfig (e.g. CONFIG_MEM_SOFT_DIRTY).
  const config = runningConfig();
  const withConfig = { ...engine, boot: (o: engine.BootOptions = {}) => engine.boot({ ...o, config: { ...config, ...o.config } }) };

  it("there are chapter scenarios to check", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s", async (name, file) => {
    const source = readFileSync(file, "utf8");
    if (KSMD.test(source)) return; // depends on ksmd timing: engine-only (reported in the name list below)
    const log: string[] = [];
    const fn = scenarioFunction(transpileScenario(source, name), withConfig as unknown as Record<string, unknown>, name, log);
    const result = engine.runScenario(fn, { version, log });
    if (result.error && result.error.name !== "KernelError") throw new Error(`${name} crashed on the engine: ${result.error.message}\n${result.error.stack ?? ""}`);
    const mine = result.kernels.filter((k) => k.version === version);
    expect(mine.length, `${name} boots no ${version} kernel`).toBeGreaterThan(0);
    for (const k of mine) {
      if (k.trace.some((s) => s.syscall.startsWith("ksm"))) {
        console.log(`${name}: engine-only: it runs ksmd, whose timing a replay cannot reproduce`);
        continue;
      }
      const finals = new Map(k.processes.map((p) => [p.pid, p.vmas]));
      // A chapter may boot a CONFIG_MEM_SOFT_DIRTY=y kernel on purpose; then only "sd" may differ.
      const sd = k.trace.some((_, i) => engine.vmasAt(k.trace, i).some((v) => v.vmflags.split(" ").includes("sd")));
      const res = await checkTrace(r, name, version, k.trace, { finalVmas: finals, tag: "ch", ignoreSoftDirty: sd && !config.softDirty });
      // Only the machine may excuse a scenario (a device this kernel lacks), never the harness.
      if (res.status === "skipped" && /^this kernel has no /.test(res.reason)) {
        console.log(`${name}: not checked on this machine: ${res.reason}`);
        continue;
      }
      expect(res.status, `${name}: ${res.reason}`).not.toBe("skipped");
      if (res.status === "diverged") expect.fail(res.message);
    }
  });
});
