// tools/testing/selftests/mm/merge.c, rewritten as scenarios, on the engine (profile of the
// running kernel) and on the real kernel: every call and every VMA must agree, and the kernel must
// show what merge.c asserts (which also checks this harness: a replay that merged nothing would fail).
import { afterAll, beforeAll, expect, it } from "vitest";
import { boot, KernelError, MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE as P, PROT_NONE } from "mergeable";
import { describeKernel, runningConfig } from "./capability.ts";
import { checkTrace, runningVersion } from "./harness.ts";
import { Replayer } from "./replayer.ts";
import { mergeSelftest } from "./scenarios/merge-selftest.ts";

describeKernel("merge.c selftests: engine vs real kernel", () => {
  let r: Replayer;
  beforeAll(() => {
    r = Replayer.start();
  });
  afterAll(() => r.close());
  const version = runningVersion();

  it.each(mergeSelftest.map((s) => [s.name, s] as const))("%s", async (_name, sc) => {
    const kernel = boot({ version, config: runningConfig() });
    const p = kernel.spawn();
    // merge.c assumes the space around its carveout is free (it moves mappings 1000-2000 pages
    // away). The engine has no ASLR: a top-down carveout sits right below libc, so hint it lower.
    const c = p.mmap(0x7e0000000000, sc.pages * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    try {
      sc.run(p, c);
    } catch (e) {
      // A refused call is part of the comparison (the kernel must refuse it too); anything else is an engine crash.
      if (!(e instanceof KernelError)) throw e;
    }
    const res = await checkTrace(r, sc.name, version, kernel.trace);
    expect(res.status, res.reason).not.toBe("skipped");
    if (res.status === "diverged") expect.fail(res.message);

    // merge.c's assertion, on the kernel's final VMAs of the last process (the child for the fork cases).
    const last = res.final[res.final.length - 1]!;
    const region = last.regions.find((g) => g.region.kind === "mmap" && g.region.lo <= c && c < g.region.hi)!;
    const kernelVmas = region.kernel.map((v) => ({ start: region.region.lo + v.start, end: region.region.lo + v.end }));
    const minor = Number(version.split(".")[1]);
    if (sc.expectFrom !== undefined && minor < sc.expectFrom) return;
    for (const [at, pages] of sc.expect) {
      const hit = kernelVmas.find((v) => v.start <= c + at * P && c + at * P < v.end);
      expect(hit && [(hit.start - c) / P, (hit.end - hit.start) / P], `${sc.name}: VMA at carveout+${at}`).toEqual([at, pages]);
    }
  });
});

