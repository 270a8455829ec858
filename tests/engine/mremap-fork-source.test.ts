/**
 * copy_vma() (mremap move) of a faulted fork-child VMA in front of an unfaulted one.
 * 6.16-6.17: is_mergeable_anon_vma() Case 1 (tgt none, src anon) asks vma_had_uncowed_parents()
 * of vmg->middle, which copy_vma() sets to NULL, so the merge is allowed (879bca0a2c4f).
 * "mm/vma: enforce VMA fork limit on unfaulted,faulted mremap merge too" (Jan 2026, Fixes:
 * 879bca0a2c4f, mainline 6.19, stable 6.18.8) adds vmg->copied_from and refuses it.
 */
import { describe, expect, it } from "vitest";
import { PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, MREMAP_MAYMOVE, MREMAP_FIXED } from "mergeable";
import { P, carveout } from "./helpers.ts";

function scenario(v: string) {
  const b = carveout(v, 30);
  const RW = PROT_READ | PROT_WRITE;
  b.p.mmap(b.at(1), 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
  b.p.poke(b.at(1), 1);
  const c = b.p.fork();
  // Child: move A away (faulted: pgoff stays linear with page 1), map B unfaulted at [3,5), move A back.
  c.mremap(b.at(1), 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(20));
  c.mmap(b.at(3), 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
  /*
   * 0123456789
   * C**BBCCCCC   ** = A (forked, faulted) coming back; B unfaulted, pgoff linear
   */
  c.mremap(b.at(20), 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(1));
  return c.vmasIn(b.at(1), b.at(5)).map((x) => [(x.start - b.at(0)) / P, (x.end - b.at(0)) / P]);
}

describe("mremap a forked, faulted VMA next to an unfaulted one", () => {
  // 6.16 and 6.17 let a forked source merge into an unfaulted VMA: copy_vma() has no copied_from yet.
  it.each(["6.16", "6.17", "6.18", "6.18.3"])("%s: merges (copy_vma() sets vmg.middle = NULL and has no copied_from before 6.18.8)", (v) => {
    expect(scenario(v)).toEqual([[1, 5]]);
  });
  it("6.18.8 (the stable backport of 3b617fd3d317): not merged", () => {
    expect(scenario("6.18.8")).toEqual([[1, 3], [3, 5]]);
  });
  it.each(["6.12", "6.15"])("%s: not merged (src anon_vma, target has none: is_mergeable_anon_vma() before 879bca0a2c4f)", (v) => {
    expect(scenario(v)).toEqual([[1, 3], [3, 5]]);
  });
});

/*
 * The same move without fork: the faulted source may merge into the unfaulted next (6.16+).
 * 6.18.8+ vma_expand() then runs dup_anon_vma(next, copied_from), so the merged VMA carries the
 * moved pages' anon_vma; 6.16-6.18.7 skipped that (the anon_vma use-after-free the fix closes).
 */
function noFork(v: string) {
  const b = carveout(v, 30);
  const RW = PROT_READ | PROT_WRITE;
  b.p.mmap(b.at(1), 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
  b.p.poke(b.at(1), 1);
  const a = b.p.vmasIn(b.at(1), b.at(2))[0]!.anonVma;
  b.p.mremap(b.at(1), 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(20));
  b.p.mmap(b.at(3), 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
  b.p.mremap(b.at(20), 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(1));
  return { a, vmas: b.p.vmasIn(b.at(1), b.at(5)).map((x) => [(x.start - b.at(0)) / P, (x.end - b.at(0)) / P, x.anonVma]) };
}

describe("mremap a faulted VMA in front of an unfaulted one (no fork)", () => {
  it.each(["6.12", "6.15"])("%s: not merged (is_mergeable_anon_vma(src, NULL) is false before 879bca0a2c4f)", (v) => {
    expect(noFork(v).vmas.map((x) => x.slice(0, 2))).toEqual([[1, 3], [3, 5]]);
  });
  it.each(["6.16", "6.17", "6.18", "6.18.3"])("%s: merged into next, which gets no anon_vma (no dup from the source)", (v) => {
    expect(noFork(v).vmas).toEqual([[1, 5, null]]);
  });
  // ENGINE BUG (reported): 6.18.8+ duplicates the moved VMA's anon_vma into next. Flip when fixed.
  it("6.18.8: merged into next, which takes the moved pages' anon_vma (dup_anon_vma(next, copied_from))", () => {
    const r = noFork("6.18.8");
    expect(r.vmas).toEqual([[1, 5, r.a]]);
  });
});
