/**
 * KSM conformance: each scenario of tests/ksm/scenarios.ts runs on the real ksmd of this machine
 * and on the engine (same version, CONFIG_MEM_SOFT_DIRTY as configured here), and every snapshot
 * — sysfs counters and each process's ksm_stat — must be equal. Skipped with a message where the
 * kernel cannot answer; with MERGEABLE_REQUIRE_KERNEL=1 (.ci/run) a skip is a failure.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeKernel } from "../kernel/capability.ts";
import { runningVersion } from "../kernel/harness.ts";
import { SCENARIOS } from "./scenarios.ts";
import { runOnEngine } from "./engine-runner.ts";
import { buildHelper, KsmTunableGuard, runOnKernel } from "./kernel-runner.ts";

describeKernel("KSM: engine vs the real ksmd", () => {
  const guard = new KsmTunableGuard();
  let bin = "";
  beforeAll(async () => {
    bin = buildHelper();
    await guard.acquire();
  }, 90_000);
  afterAll(() => guard.restore());

  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const version = runningVersion();
      const real = await runOnKernel(s, bin);
      const { snapshots } = runOnEngine(s, version);
      expect(snapshots.map((x) => x.label)).toEqual(real.map((x) => x.label));
      for (let i = 0; i < real.length; i++) {
        // One snapshot at a time, so that a failure names the step.
        expect(snapshots[i], `engine ${version} vs kernel at "${real[i]!.label}"`).toEqual(real[i]);
      }
    }, 60_000);
  }

  it("restores every tunable it changed", () => {
    guard.restore();
    for (const [f, v] of Object.entries(guard.values)) {
      const now = readTunable(f);
      expect(now, f).toBe(v);
    }
  });
});

import { readFileSync } from "node:fs";
function readTunable(f: string): string {
  const v = readFileSync(`/sys/kernel/mm/ksm/${f}`, "utf8").trim();
  return f === "advisor_mode" ? (/\[(.*?)\]/.exec(v)?.[1] ?? v) : v;
}
