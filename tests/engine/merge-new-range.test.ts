/**
 * New-range merges through mmap(): vma_merge_new_range() (mm/vma.c, 6.12+) and, before it, the
 * open-coded expansion of mmap_region() (mm/mmap.c, 6.1-6.11). Each test: a 12-page PROT_NONE
 * carveout, one or two MAP_FIXED mappings, then the exact VMAs. Carveout pieces are "C"/"X" in
 * the pictures; `*` marks the range being mapped.
 */
import { describe, expect, it } from "vitest";
import {
  PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_SHARED, MAP_ANONYMOUS, MAP_FIXED, O_RDONLY, O_RDWR,
  VM_READ, VM_WRITE, VM_SHARED, VM_MAYSHARE, VM_IO, VM_PFNMAP, VM_DONTEXPAND, VM_DONTDUMP,
} from "mergeable";
import { ANON_RW, C, MAY, NONE, P, SD, carveout, expectVmas } from "./helpers.ts";

const C_PG = C / P;

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
const ALL = ["6.1", "6.3", "6.4", "6.6", "6.7", "6.11", "6.12", "6.13", "6.15", "6.16", "6.17", "6.18"];
const LEGACY = ["6.1", "6.6", "6.11"]; // mmap_region() open-coded expansion, next checked first
const VMG = ["6.12", "6.15", "6.16", "6.18"]; // vma_merge_new_range()

describe.each(ALL)("vma_merge_new_range / mmap_region expansion on %s", (v) => {
  it("none: a mapping between two incompatible neighbours stays alone", () => {
    const b = carveout(v);
    const before = b.p.map_count;
    /*
     * 0123456789ab
     * C*XXXXXXXXXX
     */
    b.p.mmap(b.at(1), P, RW, ANON);
    expectVmas(b, [
      { s: 0, e: 1, flags: NONE | SD },
      { s: 1, e: 2, flags: ANON_RW | SD, anon: "none" },
      { s: 2, e: 12, flags: NONE | SD },
    ]);
    expect(b.p.map_count).toBe(before + 2);
  });

  it("left: the new range is appended to prev (prev keeps its pgoff)", () => {
    const b = carveout(v);
    b.p.mmap(b.at(1), 2 * P, RW, ANON);
    const before = b.p.map_count;
    /*
     * 0123456789ab
     * CAA**XXXXXXX  ->  CAAAAXXXXXXX
     */
    b.p.mmap(b.at(3), 2 * P, RW, ANON);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 5, flags: ANON_RW | SD }, { s: 5, e: 12 }]);
    expect(b.p.map_count).toBe(before);
  });

  it("right: next grows down over the new range (next.pgoff -= pages)", () => {
    const b = carveout(v);
    b.p.mmap(b.at(3), 2 * P, RW, ANON);
    /*
     * 0123456789ab
     * C**NNXXXXXXX  ->  CNNNNXXXXXXX
     */
    b.p.mmap(b.at(1), 2 * P, RW, ANON);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 5, flags: ANON_RW | SD, pgoff: C_PG + 1 }, { s: 5, e: 12 }]);
  });

  it("both: prev absorbs the range and next, next is removed (map_count - 1 net)", () => {
    const b = carveout(v);
    b.p.mmap(b.at(1), P, RW, ANON);
    b.p.mmap(b.at(3), P, RW, ANON);
    const before = b.p.map_count;
    /*
     * 0123456789ab
     * CPXNXXXXXXXX  ->  CPPPXXXXXXXX   (the carveout page X at 2 is replaced, next removed)
     */
    b.p.mmap(b.at(2), P, RW, ANON);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 4, flags: ANON_RW | SD }, { s: 4, e: 12 }]);
    expect(b.p.map_count).toBe(before - 2);
  });

  it("MAP_FIXED over the middle of an identical unfaulted VMA puts it back together", () => {
    const b = carveout(v);
    b.p.mmap(b.at(1), 4 * P, RW, ANON);
    const before = b.p.map_count;
    /*
     * 0123456789ab
     * CAAAAXXXXXXX  mmap(*) at 2: the gather splits A in three, the new range merges both ways
     * CA*AAXXXXXXX  ->  CAAAAXXXXXXX
     */
    b.p.mmap(b.at(2), P, RW, ANON);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 5, flags: ANON_RW | SD, anon: "none" }, { s: 5, e: 12 }]);
    expect(b.p.map_count).toBe(before);
  });

  it("prev faulted, next unfaulted: both merge, prev keeps its anon_vma", () => {
    const b = carveout(v);
    b.p.mmap(b.at(1), P, RW, ANON);
    b.p.poke(b.at(1), 1);
    b.p.mmap(b.at(3), P, RW, ANON);
    /*
     * 0123456789ab
     * CP*NXXXXXXXX   P faulted (anon_vma a), N unfaulted  ->  CPPPXXXXXXXX (a)
     */
    b.p.mmap(b.at(2), P, RW, ANON);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 4, anon: "a" }, { s: 4, e: 12 }]);
  });

  it("a private file mapping merges only with the same open file and a linear pgoff", () => {
    const b = carveout(v);
    const fd = b.p.open("/var/lib/mergeable/data.bin", O_RDONLY);
    const fd2 = b.p.open("/var/lib/mergeable/data.bin", O_RDONLY);
    const FILE_RO = VM_READ | MAY; // not writable: no VM_ACCOUNT
    b.p.mmap(b.at(1), P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    /*
     * 0123456789ab
     * CF*.*.*XXXXX   F = data.bin page 0
     * page 2: same fd, offset 1 page      -> merges into F
     * page 4: same fd, offset 9 pages     -> pgoff not linear with anything
     * page 5: other open() of the file, offset 10 -> vm_file differs from page 4's
     */
    b.p.mmap(b.at(2), P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, P);
    b.p.mmap(b.at(4), P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 9 * P);
    b.p.mmap(b.at(5), P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd2, 10 * P);
    expectVmas(b, [
      { s: 0, e: 1 },
      { s: 1, e: 3, flags: FILE_RO | SD, pgoff: 0 },
      { s: 3, e: 4 },
      { s: 4, e: 5, flags: FILE_RO | SD, pgoff: 9 },
      { s: 5, e: 6, flags: FILE_RO | SD, pgoff: 10 },
      { s: 6, e: 12 },
    ]);
  });

  it("VM_SPECIAL: two adjacent device mappings with linear offsets never merge", () => {
    const b = carveout(v);
    const fd = b.p.open("/dev/mem", O_RDWR);
    b.p.mmap(b.at(1), P, RW, MAP_SHARED | MAP_FIXED, fd, 0);
    b.p.mmap(b.at(2), P, RW, MAP_SHARED | MAP_FIXED, fd, P);
    // remap_pfn_range() in the driver's .mmap: VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP.
    const DEV = VM_READ | VM_WRITE | VM_SHARED | MAY | VM_MAYSHARE | VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 2, flags: DEV | SD, pgoff: 0 }, { s: 2, e: 3, flags: DEV | SD, pgoff: 1 }, { s: 3, e: 12 }]);
  });

  it("shared anonymous: each mapping has its own shmem file, so neighbours never merge", () => {
    const b = carveout(v);
    b.p.mmap(b.at(1), P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
    b.p.mmap(b.at(2), P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
    const w = b.win();
    expect(w.map((x) => [(x.start - C) / P, (x.end - C) / P])).toEqual([[0, 1], [1, 2], [2, 3], [3, 12]]);
    expect(w[1]!.file).toBe("/dev/zero (deleted)");
    expect(w[1]!.pgoff).toBe(0);
    expect(w[2]!.pgoff).toBe(0);
    expect(w[1]!.perms).toBe("rw-s");
  });
});

/*
 * The 6.1-6.11 mmap_region() checked next first (with no anon_vma) and then prev against
 * next's anon_vma; 6.12+ vma_merge_new_range() computes left first, then right with the
 * prev/next anon_vma compatibility test. kernel-vma.md §4.2(b), §16 row 8.
 */
describe("≤6.11 next-first mmap preference vs 6.12+ prev-first", () => {
  /*
   * 0123456789ab
   * CP*NXXXXXXXX   P faulted (anon_vma a), N faulted (anon_vma b ≠ a)
   * ≤6.11:  CPNNXXXXXXXX   N grows down (prev was checked against b and refused)
   * 6.12+:  CPPNXXXXXXXX   P grows (right fails: prev and next anon_vmas differ)
   */
  function twoFaulted(v: string) {
    const b = carveout(v);
    b.p.mmap(b.at(1), P, RW, ANON);
    b.p.mmap(b.at(3), P, RW, ANON);
    b.p.poke(b.at(1), 1);
    b.p.poke(b.at(3), 2);
    b.p.mmap(b.at(2), P, RW, ANON);
    return b;
  }
  it.each(LEGACY)("%s: the new range joins next", (v) => {
    const b = twoFaulted(v);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 2, anon: "a" }, { s: 2, e: 4, anon: "b", pgoff: C_PG + 2 }, { s: 4, e: 12 }]);
  });
  it.each(VMG)("%s: the new range joins prev", (v) => {
    const b = twoFaulted(v);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 3, anon: "a" }, { s: 3, e: 4, anon: "b" }, { s: 4, e: 12 }]);
  });

  /*
   * 0123456789ab
   * CP*NXXXXXXXX   P unfaulted, N faulted (anon_vma b)
   * ≤6.11:  next is the candidate; prev is then checked with src = b against its NULL anon_vma:
   *         is_mergeable_anon_vma(b, NULL, prev) is false (empty chain is not singular)
   *         -> CPNNXXXXXXXX
   * 6.12+:  left (src NULL) and right (src NULL, tgt b singular) both hold, prev has no anon_vma
   *         -> CPPPXXXXXXXX, prev gets b (dup_anon_vma() in vma_expand())
   */
  function nextFaulted(v: string) {
    const b = carveout(v);
    b.p.mmap(b.at(1), P, RW, ANON);
    b.p.mmap(b.at(3), P, RW, ANON);
    b.p.poke(b.at(3), 2);
    b.p.mmap(b.at(2), P, RW, ANON);
    return b;
  }
  it.each(LEGACY)("%s: prev unfaulted + next faulted: only next grows", (v) => {
    const b = nextFaulted(v);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 2, anon: "none" }, { s: 2, e: 4, anon: "b", pgoff: C_PG + 2 }, { s: 4, e: 12 }]);
  });
  it.each(VMG)("%s: prev unfaulted + next faulted: all three merge into prev, which takes next's anon_vma", (v) => {
    const b = nextFaulted(v);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 4, anon: "b" }, { s: 4, e: 12 }]);
  });
});
