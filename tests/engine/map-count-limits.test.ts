/**
 * vm.max_map_count (§9): the checks are not uniform, and each is asserted at its boundary.
 *  - split_vma() (mprotect, madvise): map_count >= max → ENOMEM (madvise reports EAGAIN);
 *    a failing second split does not undo the first.
 *  - munmap hole punch (vms_gather_munmap_vmas()): map_count >= max → ENOMEM before any change;
 *    edge splits (__split_vma()) are unchecked.
 *  - do_mmap() / do_brk_flags(): map_count > max → ENOMEM (so max + 1 VMAs are reachable).
 *  - mremap: map_count + 2 >= max - 3 when a new address is implied (check_mremap_params(),
 *    mremap_to() before 6.16).
 */
import { describe, expect, it } from "vitest";
import {
  PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, MAP_NORESERVE, MADV_DONTFORK,
  MREMAP_MAYMOVE, MREMAP_FIXED,
} from "mergeable";
import { ANON_RO_NR, ANON_RW_NR, P, SD, carveout, expectVmas, kerr, type Box } from "./helpers.ts";

const RW = PROT_READ | PROT_WRITE;
const NR = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE;

function ten(v: string): Box {
  const b = carveout(v, 20);
  b.p.mmap(b.at(1), 10 * P, RW, NR);
  return b;
}
const limit = (b: Box, extra = 0) => b.kernel.sysctl("vm.max_map_count", b.p.map_count + extra);

describe.each(["6.1", "6.12", "6.16", "6.18"])("max_map_count on %s", (v) => {
  it("split_vma: mprotect of a middle range at map_count == max is ENOMEM, nothing changes", () => {
    const b = ten(v);
    limit(b);
    const e = kerr(() => b.p.mprotect(b.at(4), 2 * P, PROT_READ));
    expect(e.errno).toBe("ENOMEM");
    expect(e.message).toMatch(/max_map_count/);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11, flags: ANON_RW_NR | SD }, { s: 11, e: 20 }]);
  });

  it("split_vma: at max - 1 the first split succeeds, the second fails, and stays done", () => {
    const b = ten(v);
    const max = limit(b, 1);
    expect(kerr(() => b.p.mprotect(b.at(4), 2 * P, PROT_READ)).errno).toBe("ENOMEM");
    /* 0123456789a
     * CAAABBBBBBBX   [1,4) and [4,11), both still RW */
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 4, flags: ANON_RW_NR | SD }, { s: 4, e: 11, flags: ANON_RW_NR | SD }, { s: 11, e: 20 }]);
    expect(b.p.map_count).toBe(max);
  });

  it("a merge needs no split: mprotect that joins prev succeeds at map_count == max", () => {
    const b = ten(v);
    b.p.mprotect(b.at(1), 3 * P, PROT_READ);
    limit(b);
    b.p.mprotect(b.at(4), 2 * P, PROT_READ);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 6, flags: ANON_RO_NR | SD }, { s: 6, e: 11, flags: ANON_RW_NR | SD }, { s: 11, e: 20 }]);
  });

  it("madvise: a split at the limit is EAGAIN; an unmapped hole is ENOMEM", () => {
    const b = ten(v);
    limit(b);
    const e = kerr(() => b.p.madvise(b.at(4), 2 * P, MADV_DONTFORK));
    expect(e.errno).toBe("EAGAIN");
    expect(e.code).toBe(11);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11, flags: ANON_RW_NR | SD }, { s: 11, e: 20 }]);
    b.kernel.sysctl("vm.max_map_count", 65530);
    b.p.munmap(b.at(12), P);
    expect(kerr(() => b.p.madvise(b.at(11), 3 * P, MADV_DONTFORK)).errno).toBe("ENOMEM");
  });

  it("munmap: a hole punch at map_count == max is ENOMEM; head and tail unmaps are fine", () => {
    const b = ten(v);
    limit(b);
    expect(kerr(() => b.p.munmap(b.at(4), 2 * P)).errno).toBe("ENOMEM");
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 11 }, { s: 11, e: 20 }]);
    const n = b.p.map_count;
    b.p.munmap(b.at(1), 2 * P);
    b.p.munmap(b.at(9), 2 * P);
    expectVmas(b, [{ s: 0, e: 1 }, { s: 3, e: 9 }, { s: 11, e: 20 }]);
    expect(b.p.map_count).toBe(n);
  });

  it("mmap: allowed at map_count == max (reaching max + 1), refused above it even when it would merge", () => {
    const b = ten(v);
    b.p.munmap(b.at(14), 2 * P); // a hole at [14,16), made before the limit (a hole punch at the limit is ENOMEM)
    const max = limit(b);
    b.p.mmap(b.at(14), P, RW, NR); // no neighbour to merge with: count = max + 1
    expect(b.p.map_count).toBe(b.kernel.sysctl("vm.max_map_count") + 1);
    const e = kerr(() => b.p.mmap(b.at(15), P, RW, NR)); // would merge with [14,15)
    expect(e.errno).toBe("ENOMEM");
    expect(e.message).toMatch(/max_map_count/);
    b.p.munmap(b.at(14), P);
    b.p.mmap(b.at(15), P, RW, NR);
    expect(max).toBeGreaterThan(0);
  });

  it("brk: grows at map_count == max, returns the old break above it", () => {
    const b = ten(v);
    b.p.munmap(b.at(14), 2 * P);
    limit(b);
    const brk0 = b.p.brk(0);
    expect(b.p.brk(brk0 + P)).toBe(brk0 + P); // in-place growth: map_count > max is false
    b.p.mmap(b.at(14), P, RW, NR); // count = max + 1
    expect(b.p.brk(brk0 + 2 * P)).toBe(brk0 + P);
  });

  it("mremap with a new address: ENOMEM while map_count + 2 >= max - 3", () => {
    const b = ten(v);
    limit(b, 5);
    expect(kerr(() => b.p.mremap(b.at(1), P, P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(15))).errno).toBe("ENOMEM");
    limit(b, 6);
    expect(b.p.mremap(b.at(1), P, P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(15))).toBe(b.at(15));
  });
});
