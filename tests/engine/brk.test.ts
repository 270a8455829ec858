/**
 * brk(): do_brk_flags() grows the VMA below the old break in place (a left-only, just_expand
 * new-range merge) or makes a new VMA. Under PR_SET_MEMORY_MERGE on 6.4-6.16 the proposed flags
 * lack VM_MERGEABLE, so every growth is a new VMA, all labelled [heap] (§7, §16 row 4); 6.17
 * passes the flags through ksm_vma_flags() first (cf7e7a3503df).
 */
import { describe, expect, it } from "vitest";
import { boot, PR_SET_MEMORY_MERGE, type Process } from "mergeable";
import { ANON_RW, MG, P, SD, hx, kerr } from "./helpers.ts";

/** The spawn() heap: one VMA [start_brk, brk) below nothing within reach. */
function heap(p: Process) {
  return p.vmas().filter((v) => v.name === "[heap]");
}

describe.each(["6.1", "6.3", "6.4", "6.6", "6.12", "6.15", "6.16", "6.17", "6.18"])("brk on %s", (v) => {
  const minor = Number(v.split(".")[1]);

  it("three +4K growths without merge-any: one heap VMA grows in place", () => {
    const p = boot({ version: v }).spawn();
    const [h0] = heap(p);
    const before = p.map_count;
    const brk0 = p.brk(0);
    expect(brk0).toBe(h0!.end);
    for (let i = 1; i <= 3; i++) expect(p.brk(brk0 + i * P)).toBe(brk0 + i * P);
    const h = heap(p);
    expect(h.map((x) => [x.start, x.end, x.pgoff, x.flags])).toEqual([[h0!.start, brk0 + 3 * P, h0!.start / P, hx(ANON_RW | SD)]]);
    expect(p.map_count).toBe(before);
  });

  it("three +4K growths under PR_SET_MEMORY_MERGE", () => {
    const p = boot({ version: v }).spawn();
    if (minor < 4) {
      expect(kerr(() => p.prctl(PR_SET_MEMORY_MERGE, 1)).errno).toBe("EINVAL");
      return;
    }
    p.prctl(PR_SET_MEMORY_MERGE, 1);
    const [h0] = heap(p);
    const brk0 = p.brk(0);
    const before = p.map_count;
    for (let i = 1; i <= 3; i++) p.brk(brk0 + i * P);
    const h = heap(p);
    if (minor <= 16) {
      // heap = 4 VMAs, each mg, each named [heap] (vma_is_initial_heap()).
      expect(h.map((x) => [x.start, x.end, x.pgoff])).toEqual([
        [h0!.start, brk0, h0!.start / P],
        [brk0, brk0 + P, brk0 / P],
        [brk0 + P, brk0 + 2 * P, brk0 / P + 1],
        [brk0 + 2 * P, brk0 + 3 * P, brk0 / P + 2],
      ]);
      expect(p.map_count).toBe(before + 3);
    } else {
      expect(h.map((x) => [x.start, x.end])).toEqual([[h0!.start, brk0 + 3 * P]]);
      expect(p.map_count).toBe(before);
    }
    for (const x of h) expect(x.flags).toBe(hx(ANON_RW | SD | MG));
  });

  it("a forked child whose heap was faulted cannot grow it in place (non-singular anon_vma chain)", () => {
    const p = boot({ version: v }).spawn();
    const [h0] = heap(p);
    p.poke(h0!.start, 7);
    const child = p.fork();
    const brk0 = child.brk(0);
    child.brk(brk0 + P);
    expect(heap(child).map((x) => [x.start, x.end, x.forkChild])).toEqual([[h0!.start, brk0, true], [brk0, brk0 + P, false]]);
    // The parent's chain is still singular: it grows in place.
    p.brk(brk0 + P);
    expect(heap(p).map((x) => [x.start, x.end])).toEqual([[h0!.start, brk0 + P]]);
  });

  it("shrinking unmaps the tail; a break below start_brk is refused with the old break", () => {
    const p = boot({ version: v }).spawn();
    const [h0] = heap(p);
    const brk0 = p.brk(0);
    expect(p.brk(h0!.start + 0x10000)).toBe(h0!.start + 0x10000);
    expect(heap(p).map((x) => [x.start, x.end])).toEqual([[h0!.start, h0!.start + 0x10000]]);
    expect(p.brk(h0!.start - P)).toBe(h0!.start + 0x10000);
    expect(brk0).toBeGreaterThan(h0!.start);
  });
});
