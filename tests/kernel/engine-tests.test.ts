// Every engine test scenario, replayed on the real kernel. The engine suite (tests/engine) is run
// again here with boot() wrapped so that every kernel it boots is recorded; afterwards each
// recorded kernel of the running kernel's version is replayed and compared call by call.
// (Its own assertions run here too; a failure there is reported by tests/engine as well.)
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { BootOptions, Kernel } from "mergeable";
import { describeKernel, runningConfig, runningMemory } from "./capability.ts";
import { checkTrace, runningVersion } from "./harness.ts";
import { Replayer } from "./replayer.ts";

interface Recorded { test: string; kernel: Kernel; opts: BootOptions }
const recorded = vi.hoisted(() => [] as { test: string; kernel: unknown; opts: unknown }[]);

vi.mock("mergeable", async (importOriginal) => {
  const m = await importOriginal<typeof import("mergeable")>();
  const { expect: ex } = await import("vitest");
  return {
    ...m,
    boot(o?: BootOptions) {
      const kernel = m.boot(o);
      recorded.push({ test: ex.getState().currentTestName ?? "(outside a test)", kernel, opts: o ?? {} });
      return kernel;
    },
  };
});

// Registers the engine suite's describe()/it() blocks in this file, ahead of the replay below.
import.meta.glob("../engine/**/*.test.ts", { eager: true });

describeKernel("engine test scenarios: engine vs real kernel", () => {
  let r: Replayer;
  beforeAll(() => {
    r = Replayer.start();
  });
  afterAll(() => r.close());
  const version = runningVersion();
  const { softDirty, anonVmaName } = runningConfig();

  it("every kernel the engine tests booted on the running version agrees with the real kernel", async () => {
    const mine = (recorded as Recorded[]).filter((x) => x.kernel.version === version && x.kernel.trace.length > 0);
    expect(mine.length, "the engine suite boots no kernel of the running version").toBeGreaterThan(0);
    const failures: string[] = [];
    const skipped = new Map<string, number>();
    const machine = runningMemory();
    for (const { test, kernel, opts } of mine) {
      // A kernel booted as another machine (its own RAM, swap or overcommit sysctls) decides commitments differently.
      const other = (["overcommitMemory", "overcommitRatio", "ramBytes", "swapBytes"] as const).find((k) => opts[k] !== undefined && opts[k] !== machine[k]);
      if (other) {
        const why = `booted with ${other} = ${opts[other]}, not this machine's ${machine[other]}`;
        skipped.set(why, (skipped.get(why) ?? 0) + 1);
        continue;
      }
      const finals = new Map(kernel.processes.map((p) => [p.pid, p.vmas()]));
      const res = await checkTrace(r, test, version, kernel.trace, {
        finalVmas: finals, tag: "eng", ignoreSoftDirty: kernel.config.softDirty !== softDirty,
        anonVmaNamesDiffer: kernel.config.anonVmaName && !anonVmaName,
      });
      if (res.status === "diverged") failures.push(res.message);
      if (res.status === "skipped") skipped.set(res.reason, (skipped.get(res.reason) ?? 0) + 1);
    }
    console.log(`engine tests: ${mine.length} kernels of ${version} replayed, ${failures.length} divergent, ${[...skipped.values()].reduce((a, b) => a + b, 0)} not replayable`);
    for (const [why, count] of skipped) console.log(`  not replayable ×${count}: ${why}`);
    if (failures.length) expect.fail(`${failures.length} engine test scenarios disagree with the kernel:\n\n${failures.slice(0, 3).join("\n\n" + "=".repeat(80) + "\n\n")}`);
  }, 120_000);
});

