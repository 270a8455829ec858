// RunOptions.vmasListed: past that many VMAs a process's result has a VmaLookup instead of a list
// (the page's run worker, for a 65,530-VMA mm). The lookup answers as the list would, is not
// serialised, and refuses to answer once the kernel has moved on.
import { describe, expect, it } from 'vitest';
import {
  boot, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, MAP_PRIVATE, PAGE_SIZE as P, PROT_READ, PROT_WRITE, runScenario,
  type Process,
} from 'mergeable';

const A = 0x600000000000;
/** Three VMAs at A: rw [0,2), r [2,3), a hole, rw [5,6) (pages). */
function layout(): Process {
  const p = boot().spawn();
  const anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
  p.mmap(A, 2 * P, PROT_READ | PROT_WRITE, anon);
  p.mmap(A + 2 * P, P, PROT_READ, anon);
  p.mmap(A + 5 * P, P, PROT_READ | PROT_WRITE, anon);
  return p;
}
const pages = (vs: { start: number; end: number }[]) => vs.map((v) => [(v.start - A) / P, (v.end - A) / P]);

describe('runScenario({ vmasListed })', () => {
  let live!: Process;
  const listed = runScenario(() => { layout(); }, { version: '6.18' }).kernels[0]!.processes[0]!;
  const looked = runScenario(() => { live = layout(); }, { version: '6.18', vmasListed: 3 }).kernels[0]!.processes[0]!;

  it('lists the VMAs up to the limit, and past it gives mapCount and a lookup instead', () => {
    expect(listed.vmas.length).toBe(listed.mapCount);
    expect(listed.lookup).toBeUndefined();
    expect(looked.vmas).toEqual([]);
    expect(looked.mapCount).toBe(listed.mapCount);
  });

  it('at(): the VMA containing an address (vma_lookup()), null in a hole', () => {
    const l = looked.lookup!;
    expect(pages([l.at(A + P)!])).toEqual([[0, 2]]);
    expect(pages([l.at(A + 2 * P + 7)!])).toEqual([[2, 3]]);
    expect(l.at(A + 3 * P)).toBeNull();
    expect(l.at(A + 2 * P)).toEqual(listed.vmas.find((v) => v.start === A + 2 * P));
  });

  it('countIn() and in(): the VMAs overlapping a range, as the list has them, in() at most limit', () => {
    const l = looked.lookup!;
    expect(l.countIn(A + P, A + 6 * P)).toBe(3);
    expect(l.countIn(A + 3 * P, A + 5 * P)).toBe(0);
    expect(pages(l.in(A + P, A + 6 * P))).toEqual([[0, 2], [2, 3], [5, 6]]);
    expect(pages(l.in(A, A + 6 * P, 2))).toEqual([[0, 2], [2, 3]]);
    expect(l.in(0, Infinity)).toEqual(listed.vmas);
  });

  it('is not enumerable: JSON and structuredClone carry the plain data only', () => {
    expect(Object.keys(looked)).not.toContain('lookup');
    expect(JSON.parse(JSON.stringify(looked))).toEqual({ pid: looked.pid, maps: looked.maps, smaps: looked.smaps, vmas: [], mapCount: looked.mapCount });
    expect(structuredClone(looked)).not.toHaveProperty('lookup');
  });

  it('throws once the kernel ran another call after the run, rather than answer with a later state', () => {
    const l = runScenario(() => { live = layout(); }, { version: '6.18', vmasListed: 3 }).kernels[0]!.processes[0]!.lookup!;
    expect(l.countIn(A, A + 6 * P)).toBe(3);
    live.munmap(A + 5 * P, P);
    expect(() => l.countIn(A, A + 6 * P)).toThrow(/ran more calls after the run ended: .* stale/);
  });
});
