/**
 * toSelftest() and toVmaTest(): a scenario exported as a candidate upstream test. The selftest is
 * compiled and run on the real kernel in tests/kernel/selftest-export.test.ts; tools/testing/vma
 * needs a kernel tree (it compiles mm/vma.c), so here its text is checked against the engine's
 * outcome, per version.
 */
import { describe, expect, it } from "vitest";
import {
  boot, toSelftest, toVmaTest, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_NORESERVE, MAP_PRIVATE,
  PR_SET_MEMORY_MERGE, PROT_READ, PROT_WRITE, type Process, type Step,
} from "mergeable";
import { C, P } from "./helpers.ts";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

function traced(version: string, run: (p: Process) => void): { trace: Step[]; pid: number } {
  const kernel = boot({ version });
  const p = kernel.spawn();
  run(p);
  return { trace: kernel.trace as Step[], pid: p.pid };
}

/** A mapping placed right below a VM_MERGEABLE one in a merge-any process (the regression). */
const belowMergeable = (p: Process) => {
  p.prctl(PR_SET_MEMORY_MERGE, 1);
  p.mmap(C + 4 * P, 4 * P, RW, ANON | MAP_FIXED_NOREPLACE);
  p.mmap(C, 4 * P, RW, ANON | MAP_FIXED_NOREPLACE);
};

describe("toVmaTest(): tools/testing/vma/vma.c shape", () => {
  it("6.16: merge_new() sees the flags without VM_MERGEABLE and does not merge", () => {
    const { trace, pid } = traced("6.16", belowMergeable);
    const c = toVmaTest(trace, { pid, name: "below_mergeable" });
    expect(c).toMatch(/^static bool test_below_mergeable\(void\)$/m);
    expect(c).toContain(`vma_next = alloc_and_link_vma(&mm, 0x10004000, 0x10008000, 0x10004, 0x88100073);`);
    expect(c).toContain(`vmg_set_range(&vmg, 0x10000000, 0x10004000, 0x10000, 0x8100073);`); // no bit 31
    expect(c).toContain("ASSERT_EQ(merge_new(&vmg), NULL);\n\tASSERT_EQ(vmg.state, VMA_MERGE_NOMERGE);");
  });

  it("6.17+: VM_MERGEABLE is in the proposed flags and next grows down over the range", () => {
    const { trace, pid } = traced("6.18", belowMergeable);
    const c = toVmaTest(trace, { pid, name: "below_mergeable" });
    expect(c).toContain(`vmg_set_range(&vmg, 0x10000000, 0x10004000, 0x10000, 0x88100073);`);
    expect(c).toContain("ASSERT_EQ(merged, vma_next);");
    expect(c).toContain("ASSERT_EQ(merged->vm_start, 0x10000000);\n\tASSERT_EQ(merged->vm_end, 0x10008000);");
    expect(c).toContain("ASSERT_EQ(mm.map_count, 1);");
  });

  it("mprotect() of a faulted middle next to an unfaulted prev: merge_existing() with the anon_vma", () => {
    const { trace, pid } = traced("6.18", (p) => {
      const ptr = p.mmap(C + P, 10 * P, RW, ANON | MAP_FIXED | MAP_NORESERVE);
      p.mprotect(ptr, 5 * P, PROT_READ);
      p.poke(ptr + 5 * P, 1);
      p.mprotect(ptr + 5 * P, 5 * P, PROT_READ);
    });
    const c = toVmaTest(trace, { pid, name: "mprotect_unfaulted_left" });
    expect(c).toContain("__vma_set_dummy_anon_vma(vma, &avc_1, &dummy_anon_vma);");
    expect(c).toContain("vmg.anon_vma = &dummy_anon_vma;\n\tvmg.middle = vma;\n\tvmg.prev = vma_prev;");
    expect(c).toContain("merged = merge_existing(&vmg);\n\tASSERT_EQ(merged, vma_prev);");
    expect(c).toContain(`ASSERT_EQ(merged->vm_end, 0x${(C + 11 * P).toString(16)});`);
  });

  it("refuses what the harness cannot hold, with the reason", () => {
    const file = traced("6.18", (p) => {
      const fd = p.memfd_create("m", 0);
      p.ftruncate(fd, 4 * P);
      p.mmap(0, 4 * P, RW, MAP_PRIVATE, fd, 0);
    });
    expect(() => toVmaTest(file.trace, { pid: file.pid })).toThrow(/^EINVAL: a file mapping: tools\/testing\/vma has no struct file/);
    const legacy = traced("6.6", belowMergeable);
    expect(() => toVmaTest(legacy.trace, { pid: legacy.pid })).toThrow(/6\.1-6\.11 vma_merge\(\)/);
    const { trace, pid } = traced("6.18", belowMergeable);
    expect(() => toVmaTest(trace, { pid, name: "not-c" })).toThrow(/^EINVAL: test name "not-c" is not a C identifier/);
  });
});

describe("toSelftest(): merge.c shape", () => {
  it("pins each call inside merge.c's carveout and asserts the engine's VMAs", () => {
    const { trace, pid } = traced("6.16", belowMergeable);
    const c = toSelftest(trace, { pid, name: "below_mergeable", version: "6.16" });
    expect(c).toMatch(/^TEST_F\(merge, below_mergeable\)$/m);
    expect(c).toContain("self->carveout = mmap(NULL, 30 * self->page_size, PROT_NONE,");
    expect(c).toContain("ASSERT_EQ(munmap(&carveout[page_size], 10 * page_size), 0);");
    // 6.16: two VMAs of 4 pages where 6.17+ has one of 8
    expect(c).toContain("vma_end, (unsigned long)&carveout[6 * page_size]);");
    expect(toSelftest(traced("6.18", belowMergeable).trace, { name: "x" }))
      .toContain("vma_end, (unsigned long)&carveout[10 * page_size]);");
  });

  it("refuses fork() and bad names, naming the step", () => {
    const { trace, pid } = traced("6.18", (p) => {
      p.mmap(C, 4 * P, RW, ANON | MAP_FIXED_NOREPLACE);
      p.fork();
    });
    expect(() => toSelftest(trace, { pid })).toThrow(/^EINVAL: step \d+, fork\(\), has no equivalent/);
    expect(() => toSelftest(trace, { pid, name: "1x" })).toThrow(/not a C identifier/);
  });
});
