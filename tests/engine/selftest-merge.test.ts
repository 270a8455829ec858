/**
 * tools/testing/selftests/mm/merge.c, by name, on each kernel version. The selftest asserts
 * through PROCMAP_QUERY that the VMA at `ptr` spans a given range; here the whole carveout is
 * asserted. Expected results differ per version where the kernel changed:
 *  - mprotect_* (added with 879bca0a2c4f, 6.16): fail on ≤6.15, where is_mergeable_anon_vma()
 *    refused a faulted source merging into an unfaulted target.
 *  - ksm_merge (added with cf7e7a3503df, 6.17): the re-mapped page does not merge on 6.4-6.16;
 *    prctl() is EINVAL (the test skips) before 6.4.
 */
import { describe, expect, it } from "vitest";
import {
  PROT_READ, PROT_WRITE, PROT_EXEC, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, MAP_NORESERVE,
  PR_SET_MEMORY_MERGE, MREMAP_MAYMOVE, MREMAP_FIXED,
} from "mergeable";
import { ANON_RO_NR, ANON_RW, MG, P, SD, carveout, expectVmas, kerr, type Box } from "./helpers.ts";

const RW = PROT_READ | PROT_WRITE;
const NR = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
const VERSIONS = ["6.1", "6.3", "6.4", "6.6", "6.11", "6.12", "6.15", "6.16", "6.17", "6.18"];
const minor = (v: string) => Number(v.split(".")[1]);
/** 879bca0a2c4f "mm/vma: fix incorrectly disallowed anonymous VMA merges" is in 6.16. */
const fixedAnon = (v: string) => minor(v) >= 16;

/** Where the VMA holding carveout page `n` starts and ends, in carveout pages (find_vma_procmap()). */
function vmaAt(b: Box, n: number): [number, number] {
  const v = b.win().find((x) => x.start <= b.at(n) && b.at(n) < x.end)!;
  return [(v.start - b.at(0)) / P, (v.end - b.at(0)) / P];
}

describe.each(VERSIONS)("selftests/mm/merge.c on %s", (v) => {
  it("mprotect_unfaulted_left", () => {
    const b = carveout(v, 30);
    b.p.mmap(b.at(1), 10 * P, RW, NR);
    b.p.mprotect(b.at(1), 5 * P, PROT_READ);
    b.p.poke(b.at(6), "x");
    /*
     *  RO unfaulted | RW faulted     mprotect(RW half, RO)
     * 0123456789abc
     * CAAAAABBBBBXX  ->  6.16+: CAAAAAAAAAAXX   ≤6.15: unchanged shape (src anon, tgt none)
     */
    b.p.mprotect(b.at(6), 5 * P, PROT_READ);
    expect(vmaAt(b, 1)).toEqual(fixedAnon(v) ? [1, 11] : [1, 6]);
    if (fixedAnon(v)) expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11, flags: ANON_RO_NR | SD, anon: "a" }, { s: 11, e: 30 }]);
  });

  it("mprotect_unfaulted_right", () => {
    const b = carveout(v, 30);
    b.p.mmap(b.at(1), 10 * P, RW, NR);
    b.p.mprotect(b.at(6), 5 * P, PROT_READ);
    b.p.poke(b.at(1), "x");
    /*
     * 0123456789abc
     * CAAAAABBBBBXX   A: RW faulted, B: RO unfaulted; mprotect(A, RO): A merges right into B
     */
    b.p.mprotect(b.at(1), 5 * P, PROT_READ);
    expect(vmaAt(b, 1)).toEqual(fixedAnon(v) ? [1, 11] : [1, 6]);
    if (fixedAnon(v)) expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11, flags: ANON_RO_NR | SD, anon: "a" }, { s: 11, e: 30 }]);
  });

  it("mprotect_unfaulted_both", () => {
    const b = carveout(v, 30);
    b.p.mmap(b.at(2), 9 * P, RW, NR);
    b.p.mprotect(b.at(2), 3 * P, PROT_READ);
    b.p.mprotect(b.at(8), 3 * P, PROT_READ);
    b.p.poke(b.at(5), "x");
    /*
     * 0123456789abc
     * CCAAABBBCCCXX   A, C: RO unfaulted; B: RW faulted; mprotect(B, RO)
     */
    b.p.mprotect(b.at(5), 3 * P, PROT_READ);
    expect(vmaAt(b, 2)).toEqual(fixedAnon(v) ? [2, 11] : [2, 5]);
    if (!fixedAnon(v)) expect(vmaAt(b, 5)).toEqual([5, 8]);
  });

  it("mprotect_faulted_left_unfaulted_right", () => {
    const b = carveout(v, 30);
    b.p.mmap(b.at(2), 9 * P, RW, NR);
    b.p.mprotect(b.at(8), 3 * P, PROT_READ);
    b.p.poke(b.at(2), "x");
    b.p.mprotect(b.at(2), 3 * P, PROT_READ);
    /*
     * 0123456789abc
     * CCAAABBBCCCXX   A: RO faulted, B: RW faulted (same anon_vma, split from A), C: RO unfaulted
     * mprotect(B, RO): B into A is fine everywhere; ≤6.15 refuses C as next (src anon, tgt none)
     */
    b.p.mprotect(b.at(5), 3 * P, PROT_READ);
    expect(vmaAt(b, 2)).toEqual(fixedAnon(v) ? [2, 11] : [2, 8]);
  });

  it("mprotect_unfaulted_left_faulted_right", () => {
    const b = carveout(v, 30);
    b.p.mmap(b.at(2), 9 * P, RW, NR);
    b.p.mprotect(b.at(2), 3 * P, PROT_READ);
    b.p.poke(b.at(5), "x");
    b.p.mprotect(b.at(8), 3 * P, PROT_READ);
    /*
     * 0123456789abc
     * CCAAABBBCCCXX   A: RO unfaulted, B: RW faulted, C: RO faulted (same anon_vma as B)
     * mprotect(B, RO): ≤6.15 refuses prev A (src anon, tgt none) and merges right only
     */
    b.p.mprotect(b.at(5), 3 * P, PROT_READ);
    expect(vmaAt(b, 2)).toEqual(fixedAnon(v) ? [2, 11] : [2, 5]);
    if (!fixedAnon(v)) expect(vmaAt(b, 5)).toEqual([5, 11]);
  });

  it("forked_target_vma: the child cannot merge a new mapping into a forked, faulted VMA", () => {
    const b = carveout(v, 30);
    b.p.mmap(b.at(1), 5 * P, RW, ANON);
    b.p.poke(b.at(1), "x");
    const child = b.p.fork();
    for (let i = 0; i < 5; i++) child.poke(b.at(1 + i), "x"); // unCOWing does not make the chain singular
    /*
     *   forked
     * 0123456789abc
     * CAAAAA*****XX   -> A stays [1,6) in every version
     */
    child.mmap(b.at(6), 5 * P, RW, ANON);
    const w = child.vmasIn(b.at(0), b.at(30));
    const a = w.find((x) => x.start === b.at(1))!;
    expect([a.start, a.end]).toEqual([b.at(1), b.at(6)]);
    expect(a.forkChild).toBe(true);
    expect(w.find((x) => x.start === b.at(6))!.end).toBe(b.at(11));
  });

  it("forked_source_vma: a forked, faulted VMA cannot be merged into an unfaulted neighbour", () => {
    const b = carveout(v, 30);
    b.p.mmap(b.at(1), 5 * P, RW, NR);
    b.p.poke(b.at(1), "x");
    const child = b.p.fork();
    for (let i = 0; i < 5; i++) child.poke(b.at(1 + i), "x");
    child.mmap(b.at(6), 5 * P, RW | PROT_EXEC, NR);
    const at6 = () => child.vmasIn(b.at(6), b.at(7))[0]!;
    expect([at6().start, at6().end]).toEqual([b.at(6), b.at(11)]);
    /*
     *  forked RWX    RWX unfaulted
     * 0123456789abc
     * CAAAAABBBBBXX   mprotect(A, RWX): not merged (6.16+: vma_had_uncowed_parents(src);
     *                 ≤6.15: src anon_vma vs NULL target)
     */
    child.mprotect(b.at(1), 5 * P, RW | PROT_EXEC);
    expect([at6().start, at6().end]).toEqual([b.at(6), b.at(11)]);
    expect(child.vmasIn(b.at(1), b.at(2))[0]!.end).toBe(b.at(6));
  });

  it("ksm_merge", () => {
    const b = carveout(v, 30);
    b.p.mmap(b.at(1), P, RW, ANON);
    b.p.mmap(b.at(2), P, RW, ANON);
    expect(vmaAt(b, 1)).toEqual([1, 3]);
    b.p.munmap(b.at(2), P);
    if (minor(v) < 4) {
      // PR_SET_MEMORY_MERGE does not exist: EINVAL, and the selftest skips.
      expect(kerr(() => b.p.prctl(PR_SET_MEMORY_MERGE, 1)).errno).toBe("EINVAL");
      return;
    }
    b.p.prctl(PR_SET_MEMORY_MERGE, 1);
    /*
     * 0123456789abc
     * CA*XXXXXXXXXX   A: rw mg (ksm_add_vmas()); map page 2 again
     * 6.17+: CAAXX... (ksm_vma_flags() before the merge)   6.4-6.16: CABXX... (ksm_add_vma() after)
     */
    b.p.mmap(b.at(2), P, RW, ANON);
    expect(vmaAt(b, 1)).toEqual(minor(v) >= 17 ? [1, 3] : [1, 2]);
    expect(b.win()[1]!.flags).toBe("0x" + (ANON_RW | SD | MG).toString(16));
    b.p.munmap(b.at(1), 2 * P);
    b.p.mmap(b.at(1), P, RW, ANON);
    b.p.mmap(b.at(2), P, RW, ANON);
    expect(vmaAt(b, 1)).toEqual(minor(v) >= 17 ? [1, 3] : [1, 2]);
    b.p.prctl(PR_SET_MEMORY_MERGE, 0); // the selftest's teardown
  });

  it("mremap_unfaulted_to_faulted: an unfaulted VMA moved next to a faulted one merges", () => {
    const b = carveout(v, 30);
    b.p.mmap(b.at(1), 5 * P, RW, ANON);
    b.p.mmap(b.at(7), 5 * P, RW, ANON);
    const far = b.p.mremap(b.at(7), 5 * P, 5 * P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(7) + 1000 * P);
    b.p.poke(b.at(1), "x");
    /*
     * copy_vma(): unfaulted, so pgoff = new address >> PAGE_SHIFT, linear with A
     * 0123456789abc
     * CAAAAA*****XX  ->  CAAAAAAAAAAXX (a)
     */
    b.p.mremap(far, 5 * P, 5 * P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(6));
    // [11,12) is the hole the move left behind.
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11, flags: ANON_RW | SD, anon: "a" }, { s: 12, e: 30 }]);
  });
});
