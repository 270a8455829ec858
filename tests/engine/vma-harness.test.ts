/**
 * tools/testing/vma/vma.c, by name. Like the kernel harness (which compiles mm/vma.c and calls
 * vma_merge_new_range()/vma_merge_existing_range() directly), these tests build VMAs by hand in an
 * empty mm and call the engine's ports in src/engine/merge.ts, where a rule cannot be reached
 * through syscalls (vm_ops->close, hand-made anon_vmas, VM_SPECIAL flags on any VMA).
 * Flags are the harness's VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE; addresses are bytes,
 * pgoff in pages. The harness's mm/vma.c is 6.12+, so the tests run on 6.12, 6.16 and 6.18;
 * close-hook rules are also checked on the older versions where they differ.
 */
import { describe, expect, it } from "vitest";
import {
  VM_READ, VM_WRITE, VM_MAYREAD, VM_MAYWRITE, VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP, VM_SPECIAL,
  PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MREMAP_MAYMOVE, MREMAP_FIXED,
  boot,
} from "mergeable";
import { Kernel } from "../../src/engine/kernel.ts";
import { vmaMergeExistingRange, vmaMergeNewRange } from "../../src/engine/merge.ts";
import { vmgState, vmgVmaState, type VmaMergeStruct } from "../../src/engine/vma_merge_struct.ts";
import { flagWords } from "../../src/engine/flags.ts";
import { vmaModify } from "../../src/engine/split.ts";
import { doVmiAlignMunmap } from "../../src/engine/munmap.ts";
import type { Mm } from "../../src/engine/mm.ts";
import type { AnonVma, Vma } from "../../src/engine/vma.ts";
import { ANON_RW, P, SD, carveout, expectVmas } from "./helpers.ts";

const FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE;
const VMG = ["6.12", "6.16", "6.18"];

function newMm(version: string): Mm {
  return new Kernel({ version, trace: false }).newProcess().mm;
}
/** alloc_and_link_vma(). */
function alloc(mm: Mm, start: number, end: number, pgoff: number, flags = FLAGS): Vma {
  const v = mm.newVma(start, end, flags, pgoff, null);
  mm.insert(v);
  return v;
}
/** A stand-in for the harness's dummy_anon_vma (identity only, singular chain). */
const anon = (id: number): AnonVma => ({ id: 1_000_000 + id });

/** merge_new(): vmg->prev/next are the VMAs around [start, end). */
function mergeNew(mm: Mm, start: number, end: number, pgoff: number, flags = FLAGS, extra: Partial<VmaMergeStruct> = {}): Vma | null {
  let prev: Vma | null = null;
  let next: Vma | null = null;
  for (const v of mm.tree) {
    if (v.end <= start) prev = v;
    else if (v.start >= end && !next) next = v;
  }
  const { flagsLo, flagsHi } = flagWords(flags);
  const vmg = vmgState(mm, start, end, flagsLo, flagsHi, pgoff, "test");
  vmg.prev = prev;
  vmg.next = next;
  return vmaMergeNewRange(Object.assign(vmg, extra));
}
/** try_merge_new_vma(): merge, else link a new VMA. */
function tryMergeNew(mm: Mm, start: number, end: number, pgoff: number): { vma: Vma; merged: boolean } {
  const m = mergeNew(mm, start, end, pgoff);
  return m ? { vma: m, merged: true } : { vma: alloc(mm, start, end, pgoff), merged: false };
}
/** merge_existing(): the harness leaves vmg->anon_vma NULL unless a test sets it. */
function mergeExisting(mm: Mm, middle: Vma, start: number, end: number, flags = FLAGS, anonVma: AnonVma | null = null): Vma | null {
  const vmg = vmgVmaState(mm, start > middle.start ? middle : middle.prev, middle, start, end, "test");
  Object.assign(vmg, flagWords(flags));
  vmg.file = null;
  vmg.anonVma = anonVma;
  vmg.anonName = null;
  return vmaMergeExistingRange(vmg);
}
const range = (v: Vma) => [v.start, v.end, v.pgoff];

describe.each(VMG)("tools/testing/vma on %s", (ver) => {
  it("simple_merge", () => {
    const mm = newMm(ver);
    alloc(mm, 0, 0x1000, 0);
    alloc(mm, 0x2000, 0x3000, 2);
    // 012   A*B -> AAA
    const v = mergeNew(mm, 0x1000, 0x2000, 1)!;
    expect(range(v)).toEqual([0, 0x3000, 0]);
    expect(v.flags).toBe(FLAGS);
    expect(mm.map_count).toBe(1);
  });

  it("simple_modify (vma_modify_flags(): split in three, the original VMA is the middle)", () => {
    const mm = newMm(ver);
    const init = alloc(mm, 0, 0x3000, 0);
    const v = vmaModify(mm, init, 0x1000, 0x2000, VM_READ | VM_MAYREAD, null, "test", "mprotect");
    expect(v).toBe(init);
    expect(mm.vmas().map(range)).toEqual([[0, 0x1000, 0], [0x1000, 0x2000, 1], [0x2000, 0x3000, 2]]);
  });

  it("simple_expand (as brk's just_expand new-range merge: vma_expand() of [0,0x1000) to 0x3000)", () => {
    const mm = newMm(ver);
    const v = alloc(mm, 0, 0x1000, 0);
    expect(mergeNew(mm, 0x1000, 0x3000, 1, FLAGS, { prev: v, next: null, justExpand: true })).toBe(v);
    expect(range(v)).toEqual([0, 0x3000, 0]);
  });

  it("simple_shrink (as munmap of the tail: [0,0x3000) becomes [0,0x1000), pgoff 0)", () => {
    // The engine has no vma_shrink() (exec's relocate_vma_down()); munmap's __split_vma(new_below=1)
    // leaves the same range, though in a new VMA object, as the kernel does.
    const mm = newMm(ver);
    alloc(mm, 0, 0x3000, 0);
    doVmiAlignMunmap(mm, 0x1000, 0x3000, "munmap");
    expect(mm.vmas().map(range)).toEqual([[0, 0x1000, 0]]);
  });

  it("merge_new", () => {
    const mm = newMm(ver);
    const dummy = anon(1);
    /*
     * 0123456789abc
     * AA B       CC
     */
    const a = alloc(mm, 0, 0x2000, 0);
    const b = alloc(mm, 0x3000, 0x4000, 3);
    const c = alloc(mm, 0xb000, 0xc000, 0xb);
    // NO merge:  AA B   **  CC
    let r = tryMergeNew(mm, 0x7000, 0x9000, 7);
    const d = r.vma;
    expect(r.merged).toBe(false);
    expect(mm.map_count).toBe(4);
    // Merge BOTH sides:  AA*B   DD  CC   (A's close hook has no impact: A is not removed)
    a.hasCloseHook = true;
    b.anonVma = dummy;
    r = tryMergeNew(mm, 0x2000, 0x3000, 2);
    expect(r.vma).toBe(a);
    expect(r.merged).toBe(true);
    expect(range(a)).toEqual([0, 0x4000, 0]);
    expect(a.anonVma).toBe(dummy);
    expect(mm.map_count).toBe(3);
    // Merge to PREVIOUS:  AAAA*  DD  CC
    r = tryMergeNew(mm, 0x4000, 0x5000, 4);
    expect(r.vma).toBe(a);
    expect(range(a)).toEqual([0, 0x5000, 0]);
    expect(mm.map_count).toBe(3);
    // Merge to NEXT:  AAAAA *DD  CC   (D's close hook has no impact: D is not removed)
    d.anonVma = dummy;
    d.hasCloseHook = true;
    r = tryMergeNew(mm, 0x6000, 0x7000, 6);
    expect(r.vma).toBe(d);
    expect(range(d)).toEqual([0x6000, 0x9000, 6]);
    expect(mm.map_count).toBe(3);
    // Merge BOTH sides:  AAAAA*DDD  CC
    d.hasCloseHook = false;
    r = tryMergeNew(mm, 0x5000, 0x6000, 5);
    expect(r.vma).toBe(a);
    expect(range(a)).toEqual([0, 0x9000, 0]);
    expect(mm.map_count).toBe(2);
    // Merge to NEXT:  AAAAAAAAA *CC
    c.anonVma = dummy;
    r = tryMergeNew(mm, 0xa000, 0xb000, 0xa);
    expect(r.vma).toBe(c);
    expect(range(c)).toEqual([0xa000, 0xc000, 0xa]);
    expect(mm.map_count).toBe(2);
    // Merge BOTH sides:  AAAAAAAAA*CCC
    r = tryMergeNew(mm, 0x9000, 0xa000, 9);
    expect(r.vma).toBe(a);
    expect(range(a)).toEqual([0, 0xc000, 0]);
    expect(mm.map_count).toBe(1);
    expect(mm.vmas()).toEqual([a]);
    expect(a.anonVma).toBe(dummy);
  });

  it("vma_merge_special_flags", () => {
    const specials = [VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP];
    expect(specials.reduce((x, y) => x | y, 0n)).toBe(VM_SPECIAL);
    const mm = newMm(ver);
    const left = alloc(mm, 0, 0x3000, 0);
    // 01234  AAA*  would merge but for the VM_SPECIAL flag
    for (const s of specials) {
      left.flags = FLAGS | s;
      expect(mergeNew(mm, 0x3000, 0x4000, 3, FLAGS | s)).toBeNull();
    }
    // 01234  AAAB  modify B with the special flag
    const vb = alloc(mm, 0x3000, 0x4000, 3);
    for (const s of specials) {
      left.flags = FLAGS | s;
      expect(mergeExisting(mm, vb, 0x3000, 0x4000, FLAGS | s)).toBeNull();
    }
    expect(mm.map_count).toBe(2);
  });

  it("vma_merge_with_close", () => {
    // New range: PPP**NNNN, N has close -> only P extended: PPPPPNNNN
    let mm = newMm(ver);
    let p = alloc(mm, 0, 0x3000, 0);
    let n = alloc(mm, 0x5000, 0x9000, 5);
    n.hasCloseHook = true;
    expect(mergeNew(mm, 0x3000, 0x5000, 3)).toBe(p);
    expect(range(p)).toEqual([0, 0x5000, 0]);
    expect(mm.map_count).toBe(2);
    // Existing: PPPVV, V (removed by the merge) has close -> no merge
    mm = newMm(ver);
    alloc(mm, 0, 0x3000, 0);
    let v = alloc(mm, 0x3000, 0x5000, 3);
    v.hasCloseHook = true;
    expect(mergeExisting(mm, v, 0x3000, 0x5000)).toBeNull();
    expect(mm.map_count).toBe(2);
    // Existing: VVNNNN, V has close -> no merge
    mm = newMm(ver);
    v = alloc(mm, 0x3000, 0x5000, 3);
    alloc(mm, 0x5000, 0x9000, 5);
    v.hasCloseHook = true;
    expect(mergeExisting(mm, v, 0x3000, 0x5000)).toBeNull();
    // Existing: PPPVVNNNN, V has close -> no merge
    mm = newMm(ver);
    alloc(mm, 0, 0x3000, 0);
    v = alloc(mm, 0x3000, 0x5000, 3);
    alloc(mm, 0x5000, 0x9000, 5);
    v.hasCloseHook = true;
    expect(mergeExisting(mm, v, 0x3000, 0x5000)).toBeNull();
    expect(mm.map_count).toBe(3);
    // Existing: PPPVVNNNN, N has close -> reduced to P + V: PPPPPNNNN
    mm = newMm(ver);
    p = alloc(mm, 0, 0x3000, 0);
    v = alloc(mm, 0x3000, 0x5000, 3);
    n = alloc(mm, 0x5000, 0x9000, 5);
    n.hasCloseHook = true;
    expect(mergeExisting(mm, v, 0x3000, 0x5000)).toBe(p);
    expect(range(p)).toEqual([0, 0x5000, 0]);
    expect(mm.vmas()).toEqual([p, n]);
  });

  it("vma_merge_new_with_close", () => {
    const mm = newMm(ver);
    const p = alloc(mm, 0, 0x2000, 0);
    const n = alloc(mm, 0x5000, 0x7000, 5);
    p.hasCloseHook = true;
    n.hasCloseHook = true;
    // PP***NN, both with close -> PPPPPNN (P extended, N intact)
    const v = mergeNew(mm, 0x2000, 0x5000, 2)!;
    expect(v).toBe(p);
    expect(range(v)).toEqual([0, 0x5000, 0]);
    expect(v.hasCloseHook).toBe(true);
    expect(mm.map_count).toBe(2);
    expect(range(n)).toEqual([0x5000, 0x7000, 5]);
  });

  it("merge_existing", () => {
    const dummy = anon(1);
    // Right, partial span:  VVVVNNN, modify [3,6) -> VNNNNNN (close hooks on V and N: no impact)
    let mm = newMm(ver);
    let v = alloc(mm, 0x2000, 0x6000, 2);
    let n = alloc(mm, 0x6000, 0x9000, 6);
    v.hasCloseHook = n.hasCloseHook = true;
    v.anonVma = dummy;
    expect(mergeExisting(mm, v, 0x3000, 0x6000)).toBe(n);
    expect(range(n)).toEqual([0x3000, 0x9000, 3]);
    expect(n.anonVma).toBe(dummy);
    expect(range(v)).toEqual([0x2000, 0x3000, 2]);
    expect(mm.map_count).toBe(2);
    // Right, full span:  VVVVNNN -> NNNNNNN
    mm = newMm(ver);
    v = alloc(mm, 0x2000, 0x6000, 2);
    n = alloc(mm, 0x6000, 0x9000, 6);
    n.hasCloseHook = true;
    v.anonVma = dummy;
    expect(mergeExisting(mm, v, 0x2000, 0x6000)).toBe(n);
    expect(range(n)).toEqual([0x2000, 0x9000, 2]);
    expect(n.anonVma).toBe(dummy);
    expect(mm.map_count).toBe(1);
    // Left, partial span:  PPPVVVV, modify [3,6) -> PPPPPPV
    mm = newMm(ver);
    let p = alloc(mm, 0, 0x3000, 0);
    v = alloc(mm, 0x3000, 0x7000, 3);
    p.hasCloseHook = v.hasCloseHook = true;
    v.anonVma = dummy;
    expect(mergeExisting(mm, v, 0x3000, 0x6000)).toBe(p);
    expect(range(p)).toEqual([0, 0x6000, 0]);
    expect(p.anonVma).toBe(dummy);
    expect(range(v)).toEqual([0x6000, 0x7000, 6]);
    expect(mm.map_count).toBe(2);
    // Left, full span:  PPPVVVV -> PPPPPPP
    mm = newMm(ver);
    p = alloc(mm, 0, 0x3000, 0);
    p.hasCloseHook = true;
    v = alloc(mm, 0x3000, 0x7000, 3);
    v.anonVma = dummy;
    expect(mergeExisting(mm, v, 0x3000, 0x7000)).toBe(p);
    expect(range(p)).toEqual([0, 0x7000, 0]);
    expect(p.anonVma).toBe(dummy);
    expect(mm.map_count).toBe(1);
    // Both:  PPPVVVVNN -> PPPPPPPPP
    mm = newMm(ver);
    p = alloc(mm, 0, 0x3000, 0);
    p.hasCloseHook = true;
    v = alloc(mm, 0x3000, 0x7000, 3);
    alloc(mm, 0x7000, 0x9000, 7);
    v.anonVma = dummy;
    expect(mergeExisting(mm, v, 0x3000, 0x7000)).toBe(p);
    expect(range(p)).toEqual([0, 0x9000, 0]);
    expect(p.anonVma).toBe(dummy);
    expect(mm.map_count).toBe(1);
    // Non-merge ranges inside V:  PPPVVVVVNNN
    mm = newMm(ver);
    alloc(mm, 0, 0x3000, 0);
    v = alloc(mm, 0x3000, 0x8000, 3);
    alloc(mm, 0x8000, 0xa000, 8);
    for (const [s, e] of [[0x4000, 0x5000], [0x5000, 0x6000], [0x6000, 0x7000], [0x4000, 0x7000], [0x4000, 0x6000], [0x5000, 0x6000]] as const) {
      expect(mergeExisting(mm, v, s, e)).toBeNull();
    }
    expect(mm.map_count).toBe(3);
  });

  it("anon_vma_non_mergeable", () => {
    // Existing: PPPVVVVNNN, P and N have different (singular) anon_vmas -> PPPPPPPNNN
    let mm = newMm(ver);
    let p = alloc(mm, 0, 0x3000, 0);
    const v = alloc(mm, 0x3000, 0x7000, 3);
    let n = alloc(mm, 0x7000, 0x9000, 7);
    p.anonVma = anon(1);
    n.anonVma = anon(2);
    expect(mergeExisting(mm, v, 0x3000, 0x7000)).toBe(p);
    expect(range(p)).toEqual([0, 0x7000, 0]);
    expect(range(n)).toEqual([0x7000, 0x9000, 7]);
    expect(mm.map_count).toBe(2);
    // New range: PPP****NNN -> PPPPPPPNNN
    mm = newMm(ver);
    p = alloc(mm, 0, 0x3000, 0);
    n = alloc(mm, 0x7000, 0x9000, 7);
    p.anonVma = anon(1);
    n.anonVma = anon(2);
    expect(mergeNew(mm, 0x3000, 0x7000, 3)).toBe(p);
    expect(range(p)).toEqual([0, 0x7000, 0]);
    expect(range(n)).toEqual([0x7000, 0x9000, 7]);
  });

  it("dup_anon_vma", () => {
    const dummy = anon(1);
    // (expand) P over a new range and N that has an anon_vma: P takes it
    let mm = newMm(ver);
    let p = alloc(mm, 0, 0x3000, 0);
    let n = alloc(mm, 0x4000, 0x6000, 4);
    n.anonVma = dummy;
    expect(mergeNew(mm, 0x3000, 0x4000, 3)).toBe(p);
    expect(p.anonVma).toBe(dummy);
    // next has anon_vma, we assign to prev:  PPP[VV]NNN -> P absorbs V and N
    mm = newMm(ver);
    p = alloc(mm, 0, 0x3000, 0);
    let v = alloc(mm, 0x3000, 0x5000, 3);
    n = alloc(mm, 0x5000, 0x8000, 5);
    n.anonVma = dummy;
    expect(mergeExisting(mm, v, 0x3000, 0x5000)).toBe(p);
    expect([p.start, p.end]).toEqual([0, 0x8000]);
    expect(p.anonVma).toBe(dummy);
    // vma has anon_vma, we assign to prev (both)
    mm = newMm(ver);
    p = alloc(mm, 0, 0x3000, 0);
    v = alloc(mm, 0x3000, 0x5000, 3);
    alloc(mm, 0x5000, 0x8000, 5);
    v.anonVma = dummy;
    expect(mergeExisting(mm, v, 0x3000, 0x5000)).toBe(p);
    expect([p.start, p.end]).toEqual([0, 0x8000]);
    expect(p.anonVma).toBe(dummy);
    // vma has anon_vma, we assign to prev (left, partial):  PPP[VV]VVV
    mm = newMm(ver);
    p = alloc(mm, 0, 0x3000, 0);
    v = alloc(mm, 0x3000, 0x8000, 3);
    v.anonVma = dummy;
    expect(mergeExisting(mm, v, 0x3000, 0x5000)).toBe(p);
    expect([p.start, p.end]).toEqual([0, 0x5000]);
    expect(p.anonVma).toBe(dummy);
    // vma has anon_vma, we assign to next (right, partial):  VVV[VV]NNN
    mm = newMm(ver);
    v = alloc(mm, 0, 0x5000, 0);
    n = alloc(mm, 0x5000, 0x8000, 5);
    v.anonVma = dummy;
    expect(mergeExisting(mm, v, 0x3000, 0x5000)).toBe(n);
    expect([n.start, n.end]).toEqual([0x3000, 0x8000]);
    expect(n.anonVma).toBe(dummy);
  });

  it("merge_extend (vma_merge_extend(): a new-range merge with prev = vma, absorbs next)", () => {
    const mm = newMm(ver);
    const v = alloc(mm, 0, 0x1000, 0);
    alloc(mm, 0x3000, 0x4000, 3);
    // <->
    // *  *   -> ****
    expect(mergeNew(mm, 0x1000, 0x3000, 1, FLAGS, { prev: v, anonVma: v.anonVma })).toBe(v);
    expect(range(v)).toEqual([0, 0x4000, 0]);
    expect(mm.map_count).toBe(1);
  });

  it("merge_extend through mremap(): growing in place absorbs a compatible next", () => {
    const b = carveout(ver);
    b.p.mmap(b.at(1), P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    b.p.mmap(b.at(4), P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    b.p.munmap(b.at(2), 2 * P);
    /* 0123456789ab
     * CV  WXXXXXXX  mremap(V, 1 page -> 3 pages)  ->  CVVVVXXXXXXX */
    expect(b.p.mremap(b.at(1), P, 3 * P)).toBe(b.at(1));
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 5, flags: ANON_RW | SD }, { s: 5, e: 12 }]);
  });

  it("copy_vma (through mremap(MREMAP_FIXED) of unfaulted anonymous VMAs)", () => {
    // Move backwards and do not merge:  ...VV  ->  VV...
    let b = carveout(ver);
    b.p.mmap(b.at(3), 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    b.p.mremap(b.at(3), 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(0));
    // unfaulted: copy_vma() gives the copy pgoff = new address >> PAGE_SHIFT
    expectVmas(b, [{ s: 0, e: 2, flags: ANON_RW | SD }, { s: 2, e: 3 }, { s: 5, e: 12 }]);
    // Move V next to N and merge:  VV....NN  ->  ....VVNN = one VMA (N, grown down)
    b = carveout(ver);
    b.p.mmap(b.at(0), 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    b.p.mmap(b.at(6), 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    b.p.mremap(b.at(0), 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(4));
    expectVmas(b, [{ s: 2, e: 4 }, { s: 4, e: 8, flags: ANON_RW | SD }, { s: 8, e: 12 }]);
  });

  it("expand_only_mode (just_expand: next is never looked at)", () => {
    const mm = newMm(ver);
    alloc(mm, 0, 0x2000, 0);
    const p = alloc(mm, 0x3000, 0x5000, 3);
    const n = alloc(mm, 0x9000, 0xa000, 9); // would be absorbed without just_expand
    expect(mergeNew(mm, 0x5000, 0x9000, 5, FLAGS, { prev: p, next: n, justExpand: true })).toBe(p);
    expect(range(p)).toEqual([0x3000, 0x9000, 3]);
    expect(range(n)).toEqual([0x9000, 0xa000, 9]);
    expect(mm.map_count).toBe(3);
  });

  it("mmap_region_basic (through mmap(MAP_FIXED_NOREPLACE))", () => {
    const k = boot({ version: ver });
    const p = k.spawn();
    const f = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
    const rw = PROT_READ | PROT_WRITE;
    p.mmap(0x300000, 0x3000, rw, f);
    p.mmap(0x250000, 0x3000, rw, f);
    p.mmap(0x303000, 0x3000, rw, f);
    p.mmap(0x24d000, 0x3000, rw, f);
    expect(p.vmasIn(0x200000, 0x400000).map((v) => [v.start, v.end, v.pgoff])).toEqual([
      [0x24d000, 0x253000, 0x24d],
      [0x300000, 0x306000, 0x300],
    ]);
  });
});

/*
 * The close-hook rule before the vmg rewrite: ≤6.3 is_mergeable_vma() refused any neighbour with
 * vm_ops->close; 6.4-6.11 only one that the merge would remove (714965ca8252). So the
 * vma_merge_new_with_close layout merges nothing on 6.1/6.3, and extends prev on 6.4+.
 */
describe("vma_merge_new_with_close across the close-hook boundary", () => {
  it.each([["6.1", false], ["6.3", false], ["6.4", true], ["6.6", true], ["6.11", true], ["6.12", true]] as const)("%s: prev extended = %s", (ver, extended) => {
    const mm = newMm(ver);
    const p = alloc(mm, 0, 0x2000, 0);
    const n = alloc(mm, 0x5000, 0x7000, 5);
    p.hasCloseHook = n.hasCloseHook = true;
    const v = mergeNew(mm, 0x2000, 0x5000, 2);
    if (extended) {
      expect(v).toBe(p);
      expect(range(p)).toEqual([0, 0x5000, 0]);
    } else {
      expect(v).toBeNull();
      expect(range(p)).toEqual([0, 0x2000, 0]);
    }
    expect(range(n)).toEqual([0x5000, 0x7000, 5]);
  });
});
