/**
 * The trace stores each step's VMAs as changes from its process's previous step; vmasAt() must
 * give back exactly the list p.vmas() read right after that step.
 */
import { describe, expect, it } from "vitest";
import {
  boot, vmasAt, SNAPSHOT_LIMIT, KernelError, MADV_MERGEABLE, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PAGE_SIZE as P,
  PROT_READ, PROT_WRITE, type Kernel, type VmaView,
} from "mergeable";

const ANON = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
const RW = PROT_READ | PROT_WRITE;
const BASE = 0x100000000;

/** Run `fn` on each process, keeping p.vmas() after every recorded step (by step index). */
function recordTruth(k: Kernel, seen: Map<number, VmaView[]>, call: () => unknown): void {
  const n = k.trace.length;
  try {
    call();
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
  }
  for (let i = n; i < k.trace.length; i++) {
    const s = k.trace[i]!;
    const p = k.processes.find((x) => x.pid === s.pid);
    seen.set(i, p && s.mapCount <= SNAPSHOT_LIMIT ? p.vmas() : []);
  }
}

describe("vmasAt(): a step's VMAs rebuilt from per-step changes", () => {
  it("mmap, merge, split, fault, unmap, fork and a refused call: every step equals p.vmas() after it", () => {
    const k = boot({ version: "6.18" });
    const seen = new Map<number, VmaView[]>();
    const p = k.spawn();
    seen.set(0, p.vmas());
    let c = p;
    const calls: (() => unknown)[] = [
      () => p.mmap(BASE, 4 * P, RW, ANON),
      () => p.mmap(BASE + 4 * P, 4 * P, RW, ANON), // merges: the first VMA changes its end
      () => p.mprotect(BASE + 2 * P, P, PROT_READ), // splits into three
      () => p.poke(BASE), // a write fault gives the first VMA an anon_vma
      () => p.madvise(BASE, 8 * P, MADV_MERGEABLE), // flags change, starts stay
      () => p.munmap(BASE + 2 * P, P), // removes the middle VMA
      () => p.mmap(BASE + 2 * P, P, RW, ANON), // re-creates it: merges back into one
      () => p.mmap(BASE + P, P, RW, ANON | 0x1000000 /* an unknown flag */),
      () => { c = p.fork(); },
      () => c.munmap(BASE, P),
      () => p.mmap(BASE + 64 * P, P, PROT_READ, ANON),
      () => c.mmap(BASE + 66 * P, P, PROT_READ, ANON),
      () => p.munmap(BASE + 64 * P, P),
    ];
    for (const call of calls) recordTruth(k, seen, call);
    expect(seen.size).toBe(k.trace.length);
    // In order (the cache's path), then backwards (rebuilt from the last full snapshot).
    for (let i = 0; i < k.trace.length; i++) expect(vmasAt(k.trace, i), `step ${i} ${k.trace[i]!.text}`).toEqual(seen.get(i));
    for (let i = k.trace.length - 1; i >= 0; i--) expect(vmasAt(k.trace, i), `step ${i}`).toEqual(seen.get(i));
    // A step that changed one VMA stores only that one.
    const merge = k.trace.find((s) => s.text.startsWith(`mmap(0x${(BASE + 4 * P).toString(16)}`))!;
    expect(merge.vmaDelta).toEqual({ full: false, set: [expect.objectContaining({ start: BASE, end: BASE + 8 * P })], removed: [] });
  });

  it(`above SNAPSHOT_LIMIT (${SNAPSHOT_LIMIT}) VMAs a step keeps none; below it again, the full list`, () => {
    const k = boot({ version: "6.18" });
    const p = k.spawn();
    const gap = (i: number) => BASE + i * 2 * P;
    for (let i = 0; p.map_count <= SNAPSHOT_LIMIT; i++) p.mmap(gap(i), P, i % 2 ? PROT_READ : PROT_WRITE, ANON);
    const over = k.trace.length - 1;
    expect(k.trace[over]!.vmaDelta).toBeNull();
    expect(vmasAt(k.trace, over)).toEqual([]);
    p.munmap(gap(0), P);
    const last = k.trace[k.trace.length - 1]!;
    expect(last.vmaDelta?.full).toBe(true);
    expect(vmasAt(k.trace, k.trace.length - 1)).toEqual(p.vmas());
    expect(vmasAt(k.trace, over - 1)).toHaveLength(SNAPSHOT_LIMIT);
  });
});
