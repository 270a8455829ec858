// Bad input: for each class of invalid argument, the engine's errno equals the real kernel's.
// The expected errnos are asserted on the engine too, so a scenario that stopped exercising its
// error (a call that suddenly succeeds on both sides) fails instead of passing silently.
import { afterAll, beforeAll, expect, it } from "vitest";
import { boot, MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE as P, PROT_NONE } from "mergeable";
import { describeKernel, hugePagesTotal, runningConfig, runningMemory } from "./capability.ts";
import { checkTrace, runningVersion } from "./harness.ts";
import { Replayer } from "./replayer.ts";
import { badInput } from "./scenarios/bad-input.ts";
import { calls } from "./scenarios/calls.ts";

describeKernel("bad input and calls the engine once got wrong: engine errno = kernel errno", () => {
  let r: Replayer;
  beforeAll(() => {
    r = Replayer.start();
  });
  afterAll(() => r.close());
  const version = runningVersion();

  // The engine boots as this machine: its RAM, swap and overcommit sysctls (calls.ts's overcommit case).
  const memory = runningMemory();
  // The hugetlb case assumes an empty pool (vm.nr_hugepages = 0), as the engine models.
  const huge = hugePagesTotal();
  const cases = [...badInput, ...calls].filter((s) => !(huge > 0 && s.name.startsWith("MAP_HUGETLB")));
  if (cases.length < badInput.length + calls.length) it.skip(`MAP_HUGETLB: ${huge} huge pages are reserved here; the engine models none`, () => {});
  it.each(cases.map((s) => [s.name, s] as const))("%s", async (_name, sc) => {
    const kernel = boot({ version, config: runningConfig(), ...memory });
    const p = kernel.spawn();
    const c = p.mmap(0, 16 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    sc.run(p, c, kernel);
    const res = await checkTrace(r, sc.name, version, kernel.trace, { tag: "bad" });
    expect(res.status, res.reason).not.toBe("skipped");
    if (res.status === "diverged") expect.fail(res.message);
    expect(kernel.trace.filter((s) => s.errno).map((s) => s.errno!.name)).toEqual(sc.errnos);
  });
});
