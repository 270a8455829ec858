// toSelftest() on the real kernel: a scenario's export compiles with gcc against the vendored 6.18.2
// kselftest harness (tests/kernel/vendor/) and passes on this kernel when the engine ran its profile;
// exported from a profile that behaves differently (6.16's late KSM flag), the same test fails.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import {
  boot, KernelError, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, MAP_PRIVATE, MAP_SHARED, PAGE_SIZE as P,
  PR_SET_MEMORY_MERGE, PROT_NONE, PROT_READ, PROT_WRITE, toSelftest, type Process,
} from "mergeable";
import { describeKernel, runningConfig } from "./capability.ts";
import { runningVersion } from "./harness.ts";
import { TMP } from "./replayer.ts";
import { mergeSelftest } from "./scenarios/merge-selftest.ts";

const VENDOR = join(import.meta.dirname, "vendor", "selftests", "mm");
const OUT = join(TMP, "selftest-export");
const RW = PROT_READ | PROT_WRITE;

/** Compile `source` as merge.c is compiled in tools/testing/selftests/mm, run it, return its TAP output. */
function buildAndRun(name: string, source: string): { code: number; out: string } {
  mkdirSync(OUT, { recursive: true });
  const c = join(OUT, `${name}.c`);
  const bin = join(OUT, name);
  writeFileSync(c, source);
  execFileSync("gcc", ["-O1", "-Wall", "-Werror", "-I", VENDOR, "-o", bin, c, join(VENDOR, "vm_util.c")], { stdio: "pipe" });
  const r = spawnSync(bin, [], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

/** The engine's trace of `run` on `version`, exported as TEST_F(merge, name). */
function exported(name: string, version: string, run: (p: Process) => void): string {
  const kernel = boot({ version, config: runningConfig() });
  const p = kernel.spawn();
  try {
    run(p);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e; // a refused call is part of the test (its errno is asserted)
  }
  return toSelftest(kernel.trace, { pid: p.pid, name, version });
}

/** The regression of this site: a new mapping next to a VM_MERGEABLE one in a merge-any process. */
const mergeAnyNeighbour = (p: Process) => {
  p.prctl(PR_SET_MEMORY_MERGE, 1);
  const a = p.mmap(0, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  p.mmap(a - 4 * P, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
};

describeKernel("toSelftest(): the exported merge.c test on the real kernel", () => {
  let version: string;
  beforeAll(() => {
    version = runningVersion();
  });

  it("a merge-any neighbour: passes as exported from the running kernel's profile", () => {
    const r = buildAndRun("merge_any_neighbour", exported("merge_any_neighbour", version, mergeAnyNeighbour));
    expect(r.out).toMatch(/^ok 1 merge\.merge_any_neighbour$/m);
    expect(r.code, r.out).toBe(0);
  });

  it("the same scenario exported from 6.16 (VM_MERGEABLE set after the merge attempt) fails here", () => {
    const src = exported("merge_any_neighbour_616", "6.16", mergeAnyNeighbour);
    expect(src).toMatch(/vma_end, \(unsigned long\)&carveout\[6 \* page_size\]\)/); // 6.16: two VMAs of 4 pages
    const r = buildAndRun("merge_any_neighbour_616", src);
    expect(r.out).toMatch(/^not ok 1 merge\.merge_any_neighbour_616$/m);
    expect(r.out).toMatch(/Expected procmap->query\.vma_end/);
    expect(r.code).not.toBe(0);
  });

  it("an errno, a hole and a shared file mapping are asserted as the engine saw them", () => {
    const src = exported("errno_hole_memfd", version, (p) => {
      const fd = p.memfd_create("mergeable", 0);
      p.ftruncate(fd, 8 * P);
      const a = p.mmap(0, 8 * P, RW, MAP_SHARED, fd, 0);
      p.munmap(a + 2 * P, 2 * P);
      p.mprotect(a + 6 * P, 2 * P, PROT_NONE);
      p.mmap(a, P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE); // EEXIST
    });
    expect(src).toMatch(/ASSERT_EQ\(errno, EEXIST\)/);
    expect(src).toMatch(/ASSERT_FALSE\(find_vma_procmap/);
    expect(src).toMatch(/vma_offset, 6UL \* page_size/);
    const r = buildAndRun("errno_hole_memfd", src);
    expect(r.code, r.out).toBe(0);
  });

  // merge.c's own tests, run on the engine and exported back: the round trip keeps their shape.
  it.each(mergeSelftest.map((s) => [s.name, s] as const))("%s, exported", (name, sc) => {
    const id = name.replace(/^merge\.c /, "").replace(/\W/g, "_");
    let src: string;
    try {
      src = exported(id, version, (p) => {
        const c = p.mmap(0x7e0000000000, sc.pages * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        sc.run(p, c);
      });
    } catch (e) {
      // fork() has no equivalent in one fixture: the export says so instead of writing a wrong test.
      expect((e as Error).message).toMatch(/^EINVAL: step \d+, fork\(\), has no equivalent/);
      return;
    }
    const r = buildAndRun(id, src);
    expect(r.out).toMatch(new RegExp(`^ok 1 merge\\.${id}`, "m"));
    expect(r.code, r.out).toBe(0);
  });
});
