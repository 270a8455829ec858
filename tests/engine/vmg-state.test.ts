/**
 * The merge state and the plan, as tools/testing/vma/vma.c asserts them: each test builds a tiny
 * address space by hand, makes one vma_merge_struct with VMG_STATE()/VMG_VMA_STATE(), merges,
 * and checks vmg.state (VMA_MERGE_SUCCESS / VMA_MERGE_NOMERGE), the target, the merged range the
 * vmg now describes and the remove/adjust flags commit_merge() applied. The plan functions alone
 * are a dry run: the address space is unchanged after them.
 */
import { describe, expect, it } from "vitest";
import { VM_READ, VM_WRITE, VM_MAYREAD, VM_MAYWRITE, VM_EXEC, VM_PFNMAP } from "mergeable";
import { Kernel } from "../../src/engine/kernel.ts";
import { planMergeExistingRange, planMergeNewRange, vmaMergeExistingRange, vmaMergeNewRange } from "../../src/engine/merge.ts";
import { MIDDLE_CLOSE_HOOK, SPECIAL_NEW_RANGE } from "../../src/engine/merge_reasons.ts";
import {
  NOT_ADJACENT, VMA_MERGE_NOMERGE, VMA_MERGE_START, VMA_MERGE_SUCCESS, vmgState, vmgVmaState, type VmaMergeStruct,
} from "../../src/engine/vma_merge_struct.ts";
import { flagWords } from "../../src/engine/flags.ts";
import type { Mm } from "../../src/engine/mm.ts";
import type { AnonVma, Vma } from "../../src/engine/vma.ts";

const FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE;
const VMG = ["6.12", "6.16", "6.18"];

const newMm = (version: string, trace = false): Mm => new Kernel({ version, trace }).newProcess().mm;
const anon = (id: number): AnonVma => ({ id: 2_000_000 + id });

/** alloc_and_link_vma(). */
function alloc(mm: Mm, start: number, end: number, pgoff: number, flags = FLAGS): Vma {
  const v = mm.newVma(start, end, flags, pgoff, null);
  mm.insert(v);
  return v;
}

/** VMG_STATE() of a new range [start, end), with prev/next the VMAs around it. */
function newRange(mm: Mm, start: number, end: number, pgoff: number, flags = FLAGS): VmaMergeStruct {
  const { flagsLo, flagsHi } = flagWords(flags);
  const vmg = vmgState(mm, start, end, flagsLo, flagsHi, pgoff, "test");
  for (const v of mm.tree) {
    if (v.end <= start) vmg.prev = v;
    else if (v.start >= end && !vmg.next) vmg.next = v;
  }
  return vmg;
}

/** VMG_VMA_STATE() of [start, end) ⊆ middle with new flags; prev is middle when start is inside it. */
function existingRange(mm: Mm, middle: Vma, start: number, end: number, flags = FLAGS): VmaMergeStruct {
  const vmg = vmgVmaState(mm, start > middle.start ? middle : middle.prev, middle, start, end, "test");
  Object.assign(vmg, flagWords(flags));
  return vmg;
}

/** The plan a vmg carries, in the kernel's words. */
const plan = (vmg: VmaMergeStruct) => ({
  target: vmg.target, start: vmg.start, end: vmg.end, pgoff: vmg.pgoff,
  removeMiddle: vmg.removeMiddle, removeNext: vmg.removeNext,
  adjustMiddleStart: vmg.adjustMiddleStart, adjustNextStart: vmg.adjustNextStart,
});
const ranges = (mm: Mm) => mm.vmas().map((v) => [v.start, v.end, v.pgoff, v.anonVma?.id ?? null]);

describe.each(VMG)("vma_merge_struct on %s", (ver) => {
  it("merge_new: PPP[...]NNN, prev expands over the range and next (next removed)", () => {
    const mm = newMm(ver);
    const p = alloc(mm, 0, 0x1000, 0);
    alloc(mm, 0x2000, 0x3000, 2);
    const vmg = newRange(mm, 0x1000, 0x2000, 1);
    expect(vmg.state).toBe(VMA_MERGE_START);
    expect(vmaMergeNewRange(vmg)).toBe(p);
    expect(vmg.state).toBe(VMA_MERGE_SUCCESS);
    expect(plan(vmg)).toEqual({
      target: p, start: 0, end: 0x3000, pgoff: 0, removeMiddle: false, removeNext: true,
      adjustMiddleStart: false, adjustNextStart: false,
    });
    expect(ranges(mm)).toEqual([[0, 0x3000, 0, null]]);
  });

  it("merge_new: [...]NNN, next expands down; the plan keeps the range's pgoff", () => {
    const mm = newMm(ver);
    const n = alloc(mm, 0x2000, 0x4000, 2);
    const vmg = newRange(mm, 0x1000, 0x2000, 1);
    expect(vmaMergeNewRange(vmg)).toBe(n);
    expect(vmg.state).toBe(VMA_MERGE_SUCCESS);
    expect(plan(vmg)).toMatchObject({ target: n, start: 0x1000, end: 0x4000, pgoff: 1, removeNext: false });
    expect(ranges(mm)).toEqual([[0x1000, 0x4000, 1, null]]);
  });

  it("merge_new: flags differ on both sides, VMA_MERGE_NOMERGE with each side's reason", () => {
    const mm = newMm(ver);
    alloc(mm, 0, 0x1000, 0);
    alloc(mm, 0x2000, 0x3000, 2);
    const vmg = newRange(mm, 0x1000, 0x2000, 1, FLAGS | VM_EXEC);
    vmg.explain = true;
    expect(vmaMergeNewRange(vmg)).toBeNull();
    expect(vmg.state).toBe(VMA_MERGE_NOMERGE);
    expect(vmg.target).toBeNull();
    expect(String(vmg.prevWhy)).toMatch(/^flags differ: VM_EXEC/);
    expect(String(vmg.nextWhy)).toMatch(/^flags differ: VM_EXEC/);
    expect(ranges(mm)).toEqual([[0, 0x1000, 0, null], [0x2000, 0x3000, 2, null]]);
  });

  it("vma_merge_special_flags: a VM_PFNMAP range is refused before any neighbour is looked at", () => {
    const mm = newMm(ver);
    alloc(mm, 0, 0x1000, 0);
    const vmg = newRange(mm, 0x1000, 0x2000, 1, FLAGS | VM_PFNMAP);
    expect(vmaMergeNewRange(vmg)).toBeNull();
    expect(vmg.state).toBe(VMA_MERGE_NOMERGE);
    expect(vmg.why).toBe(SPECIAL_NEW_RANGE);
    expect(vmg.prevWhy).toBeNull();
  });

  it("merge_existing: VVV[VV]NNN, next grows down, middle shrinks (__adjust_next_start)", () => {
    const mm = newMm(ver);
    const v = alloc(mm, 0, 0x5000, 0);
    const n = alloc(mm, 0x5000, 0x8000, 5);
    const vmg = existingRange(mm, v, 0x3000, 0x5000);
    expect(vmg.prev).toBe(v); // offset into the VMA: prev is middle
    expect(vmaMergeExistingRange(vmg)).toBe(n);
    expect(vmg.state).toBe(VMA_MERGE_SUCCESS);
    // As commit_merge() sees it: the vmg describes middle's new range, next adjusts to its end.
    expect(plan(vmg)).toEqual({
      target: n, start: 0, end: 0x3000, pgoff: 0, removeMiddle: false, removeNext: false,
      adjustMiddleStart: false, adjustNextStart: true,
    });
    expect(ranges(mm)).toEqual([[0, 0x3000, 0, null], [0x3000, 0x8000, 3, null]]);
  });

  it("merge_existing: PPP[VV]VVV, prev grows, middle's start moves up (__adjust_middle_start)", () => {
    const mm = newMm(ver);
    const p = alloc(mm, 0, 0x3000, 0);
    const v = alloc(mm, 0x3000, 0x8000, 3);
    const vmg = existingRange(mm, v, 0x3000, 0x5000);
    expect(vmaMergeExistingRange(vmg)).toBe(p);
    expect(vmg.state).toBe(VMA_MERGE_SUCCESS);
    expect(plan(vmg)).toEqual({
      target: p, start: 0, end: 0x5000, pgoff: 0, removeMiddle: false, removeNext: false,
      adjustMiddleStart: true, adjustNextStart: false,
    });
    expect(ranges(mm)).toEqual([[0, 0x5000, 0, null], [0x5000, 0x8000, 5, null]]);
  });

  it("merge_existing: PPP[VVV]NNN, prev absorbs middle and next (both removed, anon_vma from next)", () => {
    const mm = newMm(ver);
    const p = alloc(mm, 0, 0x3000, 0);
    const v = alloc(mm, 0x3000, 0x5000, 3);
    const n = alloc(mm, 0x5000, 0x8000, 5);
    n.anonVma = anon(2);
    const vmg = existingRange(mm, v, 0x3000, 0x5000);
    expect(vmaMergeExistingRange(vmg)).toBe(p);
    expect(vmg.state).toBe(VMA_MERGE_SUCCESS);
    expect(plan(vmg)).toEqual({
      target: p, start: 0, end: 0x8000, pgoff: 0, removeMiddle: true, removeNext: true,
      adjustMiddleStart: false, adjustNextStart: false,
    });
    expect(vmg.anonDup).toBe(n);
    expect(ranges(mm)).toEqual([[0, 0x8000, 0, anon(2).id]]);
  });

  it("vma_merge_with_close: a whole middle with vm_ops->close is not removed, VMA_MERGE_NOMERGE", () => {
    const mm = newMm(ver);
    alloc(mm, 0, 0x3000, 0);
    const v = alloc(mm, 0x3000, 0x5000, 3, FLAGS | VM_EXEC);
    v.hasCloseHook = true;
    const vmg = existingRange(mm, v, 0x3000, 0x5000);
    expect(vmaMergeExistingRange(vmg)).toBeNull();
    expect(vmg.state).toBe(VMA_MERGE_NOMERGE);
    expect(vmg.why).toBe(MIDDLE_CLOSE_HOOK);
    expect(vmg.target).toBe(null);
  });

  it("merge_existing: a range at neither edge of middle cannot merge", () => {
    const mm = newMm(ver);
    alloc(mm, 0, 0x3000, 0);
    const v = alloc(mm, 0x3000, 0x8000, 3);
    const vmg = existingRange(mm, v, 0x4000, 0x5000);
    expect(vmaMergeExistingRange(vmg)).toBeNull();
    expect(vmg.state).toBe(VMA_MERGE_NOMERGE);
    expect([vmg.prevWhy, vmg.nextWhy, vmg.why]).toEqual([null, null, null]);
  });

  it("a dry run (planMerge*()) says what would merge and why not, and changes nothing", () => {
    const mm = newMm(ver, true);
    const p = alloc(mm, 0, 0x3000, 0);
    const v = alloc(mm, 0x3000, 0x5000, 3);
    const n = alloc(mm, 0x5000, 0x8000, 5, FLAGS | VM_EXEC);
    n.anonVma = anon(3);
    const before = ranges(mm);
    const vmg = existingRange(mm, v, 0x3000, 0x5000);
    expect(planMergeExistingRange(vmg)).toBe(true);
    expect(vmg.target).toBe(p);
    expect(vmg.prevWhy).toBeNull();
    expect(String(vmg.nextWhy)).toMatch(/^flags differ: VM_EXEC/);
    expect(plan(vmg)).toMatchObject({ start: 0, end: 0x5000, removeMiddle: true, removeNext: false });
    expect(vmg.state).toBe(VMA_MERGE_NOMERGE); // only commitMerge() reports success
    expect(ranges(mm)).toEqual(before);
    expect(mm.map_count).toBe(3);
    expect([p.anonVma, v.anonVma, n.anonVma]).toEqual([null, null, anon(3)]);
    // A new range in the gap after next: would join next, nothing moves.
    const vmgNew = newRange(mm, 0x8000, 0x9000, 8, FLAGS | VM_EXEC);
    expect(planMergeNewRange(vmgNew)).toBe(true);
    expect(plan(vmgNew)).toMatchObject({ target: n, start: 0x5000, end: 0x9000, pgoff: 5 });
    expect(ranges(mm)).toEqual(before);
  });

  it("the same vmg after its dry run commits to the planned VMAs", () => {
    const mm = newMm(ver);
    const p = alloc(mm, 0, 0x1000, 0);
    alloc(mm, 0x2000, 0x3000, 2);
    const dry = newRange(mm, 0x1000, 0x2000, 1);
    expect(planMergeNewRange(dry)).toBe(true);
    const vmg = newRange(mm, 0x1000, 0x2000, 1);
    expect(vmaMergeNewRange(vmg)).toBe(dry.target);
    expect(plan(vmg)).toEqual(plan(dry));
    expect(ranges(mm)).toEqual([[0, 0x3000, 0, null]]);
    expect(p.end).toBe(0x3000);
  });

  it("expand_only_mode: just_expand leaves next out of the plan", () => {
    const mm = newMm(ver);
    const p = alloc(mm, 0, 0x1000, 0);
    alloc(mm, 0x2000, 0x3000, 2);
    const vmg = newRange(mm, 0x1000, 0x2000, 1);
    vmg.justExpand = true;
    expect(vmaMergeNewRange(vmg)).toBe(p);
    expect(vmg.nextWhy).toBe(NOT_ADJACENT);
    expect(plan(vmg)).toMatchObject({ target: p, start: 0, end: 0x2000, removeNext: false });
    expect(mm.map_count).toBe(2);
  });
});

describe("vmg->copied_from (6.18.8+, 6.19: vma_expand() dup_anon_vma()s the moved VMA)", () => {
  /** 0: unfaulted prev, 2: unfaulted next; a faulted VMA from 0x10000 moves into the hole at 1. */
  function moveBetweenUnfaulted(version: string) {
    const mm = newMm(version);
    const p = alloc(mm, 0, 0x1000, 0);
    alloc(mm, 0x2000, 0x3000, 2);
    const src = alloc(mm, 0x10000, 0x11000, 1);
    src.anonVma = anon(4);
    const vmg = vmgVmaState(mm, p, src, 0x1000, 0x2000, "mremap");
    vmg.middle = null;
    vmg.pgoff = 1;
    vmg.next = p.next;
    vmg.copiedFrom = src;
    expect(vmaMergeNewRange(vmg)).toBe(p);
    expect(plan(vmg)).toMatchObject({ target: p, start: 0, end: 0x3000, removeNext: true });
    return { p, src };
  }

  it("a faulted VMA moved between two unfaulted neighbours gives prev its anon_vma", () => {
    const { p, src } = moveBetweenUnfaulted("6.18.8");
    expect(p.anonVma).toBe(src.anonVma);
  });

  it("6.18.0-6.18.7: the same merge leaves prev without one (before 61f67c230a5e)", () => {
    expect(moveBetweenUnfaulted("6.18").p.anonVma).toBeNull();
  });
});
