/**
 * Existing-range merges through mprotect()/madvise(): vma_merge_existing_range() (mm/vma.c,
 * 6.12+; vma_merge() cases 4-8 before), then the split_vma() fallback of vma_modify().
 * Mappings are MAP_NORESERVE so that VM_ACCOUNT never differs between RO and RW pieces
 * (as selftests/mm/merge.c does). Letters: L(eft)/M(iddle)/R(ight) pieces; C/X carveout.
 */
import { describe, expect, it } from "vitest";
import {
  PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, MAP_NORESERVE, MADV_MERGEABLE,
  PR_SET_MEMORY_MERGE,
} from "mergeable";
import { ANON_RO_NR, ANON_RW, ANON_RW_NR, C, MG, P, SD, carveout, expectVmas, type Box } from "./helpers.ts";

const RW = PROT_READ | PROT_WRITE;
const NR = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE;
const C_PG = C / P;
const VERSIONS = ["6.1", "6.4", "6.6", "6.11", "6.12", "6.15", "6.16", "6.17", "6.18"];

/** 10 pages RW at carveout pages [1, 11). */
function ten(v: string): Box {
  const b = carveout(v);
  b.p.mmap(b.at(1), 10 * P, RW, NR);
  return b;
}

describe.each(VERSIONS)("vma_merge_existing_range / vma_modify on %s", (v) => {
  it("no merge possible (range inside the VMA): split in three", () => {
    const b = ten(v);
    const before = b.p.map_count;
    /*
     *     <>
     * 0123456789ab
     * CAAA**AAAAAX  ->  CLLLMMRRRRRX
     */
    b.p.mprotect(b.at(4), 2 * P, PROT_READ);
    expectVmas(b, [
      { s: 0, e: 1 },
      { s: 1, e: 4, flags: ANON_RW_NR | SD },
      { s: 4, e: 6, flags: ANON_RO_NR | SD },
      { s: 6, e: 11, flags: ANON_RW_NR | SD },
      { s: 11, e: 12 },
    ]);
    expect(b.p.map_count).toBe(before + 2);
  });

  it("both (removeMiddle): L, M and R become one again, map_count - 2", () => {
    const b = ten(v);
    b.p.mprotect(b.at(4), 2 * P, PROT_READ);
    const before = b.p.map_count;
    /*
     *     <>
     * 0123456789ab
     * CLLLMMRRRRRX  ->  CAAAAAAAAAAX
     */
    b.p.mprotect(b.at(4), 2 * P, RW);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11, flags: ANON_RW_NR | SD }, { s: 11, e: 12 }]);
    expect(b.p.map_count).toBe(before - 2);
  });

  it("left, partial span: prev grows, middle's start and pgoff advance", () => {
    const b = ten(v);
    b.p.mprotect(b.at(1), 3 * P, PROT_READ);
    const before = b.p.map_count;
    /*
     *     <>
     * 0123456789ab
     * CPPPVVVVVVVX  ->  CPPPPPVVVVVX
     */
    b.p.mprotect(b.at(4), 2 * P, PROT_READ);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 6, flags: ANON_RO_NR | SD }, { s: 6, e: 11, flags: ANON_RW_NR | SD, pgoff: C_PG + 6 }, { s: 11, e: 12 }]);
    expect(b.p.map_count).toBe(before);
  });

  it("left, full span (removeMiddle): prev absorbs middle, map_count - 1", () => {
    const b = ten(v);
    b.p.mprotect(b.at(1), 3 * P, PROT_READ);
    const before = b.p.map_count;
    /*
     *     <----->
     * 0123456789ab
     * CPPPVVVVVVVX  ->  CPPPPPPPPPPX
     */
    b.p.mprotect(b.at(4), 7 * P, PROT_READ);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11, flags: ANON_RO_NR | SD, pgoff: C_PG + 1 }, { s: 11, e: 12 }]);
    expect(b.p.map_count).toBe(before - 1);
  });

  it("right, partial span: next grows down (pgoff adjusted), middle shrinks", () => {
    const b = ten(v);
    b.p.mprotect(b.at(6), 5 * P, PROT_READ);
    /*
     *     <>
     * 0123456789ab
     * CVVVVVNNNNNX  ->  CVVVNNNNNNNX
     */
    b.p.mprotect(b.at(4), 2 * P, PROT_READ);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 4, flags: ANON_RW_NR | SD }, { s: 4, e: 11, flags: ANON_RO_NR | SD, pgoff: C_PG + 4 }, { s: 11, e: 12 }]);
  });

  it("right, full span (removeMiddle): next takes middle's start and pgoff", () => {
    const b = ten(v);
    b.p.mprotect(b.at(6), 5 * P, PROT_READ);
    /*
     *  <--->
     * 0123456789ab
     * CVVVVVNNNNNX  ->  CNNNNNNNNNNX
     */
    b.p.mprotect(b.at(1), 5 * P, PROT_READ);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11, flags: ANON_RO_NR | SD, pgoff: C_PG + 1 }, { s: 11, e: 12 }]);
  });

  it("both candidates but prev and next have different anon_vmas: only prev merges", () => {
    const b = ten(v);
    b.p.mprotect(b.at(4), 2 * P, PROT_READ);
    b.p.poke(b.at(1), 1); // L gets anon_vma a (M has none to reuse, carveout differs in VM_NORESERVE)
    b.p.poke(b.at(6), 2); // R gets anon_vma b
    /*
     *     <>
     * 0123456789ab
     * CLLLMMRRRRRX   L: a, M: unfaulted, R: b
     *               ->  CLLLLLRRRRRX   (can_vma_merge_right(): prev/next anon_vmas differ)
     */
    b.p.mprotect(b.at(4), 2 * P, RW);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 6, anon: "a" }, { s: 6, e: 11, anon: "b" }, { s: 11, e: 12 }]);
  });

  it("madvise(MADV_MERGEABLE) on two halves: split, then merged with mg (§16 row 17)", () => {
    const b = carveout(v);
    b.p.mmap(b.at(1), 10 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    b.p.madvise(b.at(1), 5 * P, MADV_MERGEABLE);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 6, flags: ANON_RW | SD | MG }, { s: 6, e: 11, flags: ANON_RW | SD }, { s: 11, e: 12 }]);
    b.p.madvise(b.at(6), 5 * P, MADV_MERGEABLE);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11, flags: ANON_RW | SD | MG }, { s: 11, e: 12 }]);
  });
});

/*
 * mprotect_fixup(): a piece whose flags do not change is left alone — no merge attempt. Under the
 * 6.4-6.16 regression two identical adjacent VMAs exist; mprotect(same prot) keeps them apart,
 * mprotect(RO) then mprotect(RW) reunites them (§16 row 20).
 */
describe.each(["6.4", "6.16"])("no-op mprotect does not merge; a real change does (%s)", (v) => {
  it("regression pair: same-prot mprotect keeps 2 VMAs, RO then RW gives 1", () => {
    const b = carveout(v);
    b.p.prctl(PR_SET_MEMORY_MERGE, 1);
    b.p.mmap(b.at(1), P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    b.p.mmap(b.at(2), P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    /* 0123456789ab
     * CABXXXXXXXXX   A, B: rw mg, not merged (ksm_add_vma() ran after the merge attempt) */
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 2, flags: ANON_RW | SD | MG }, { s: 2, e: 3, flags: ANON_RW | SD | MG }, { s: 3, e: 12 }]);
    b.p.mprotect(b.at(1), 2 * P, RW);
    expect(b.win().length).toBe(4);
    // RO: A changes (no merge: X differs... B still RW), then B changes and merges with A.
    b.p.mprotect(b.at(1), 2 * P, PROT_READ);
    b.p.mprotect(b.at(1), 2 * P, RW);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 3, flags: ANON_RW | SD | MG }, { s: 3, e: 12 }]);
  });
});
