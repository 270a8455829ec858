// The windows a run is drawn in (src/site/region.ts): widened to whole VMAs at their edges, and the
// VMAs in them, found by binary search in address order. Tiny address spaces, one call, exact results.
import { describe, expect, it } from 'vitest';
import type { VmaView } from 'mergeable';
import { countInWindows, listLookup, overlapping, PAGE, scenarioWindows, vmasInWindows } from '../../src/site/region';

const P = PAGE, A = 0x600000000000;
/** A VMA of pages [s, e) from A. */
const vma = (s: number, e: number): VmaView => ({
  start: A + s * P, end: A + e * P, flags: '0x73', vmflags: 'rd wr mr mw me ac', perms: 'rw-p', pgoff: 0,
  name: '', file: null, anonVma: null, forkChild: false,
});
const win = (s: number, e: number) => ({ start: A + s * P, end: A + e * P });
/** An mmap step that returned A + s pages, `n` pages long. */
const mmapStep = (s: number, n: number) => ({
  seq: 0, pid: 1, syscall: 'mmap', args: [0, n * P, 3, 0x22, -1, 0], ret: A + s * P, text: '', errno: null,
  events: [], vmaDelta: null, mapCount: 0,
}) as never;

describe('overlapping()', () => {
  const vmas = [vma(0, 2), vma(2, 5), vma(8, 9), vma(9, 20)];
  it('gives the index range of the VMAs that overlap the window', () => {
    expect(overlapping(vmas, win(1, 3))).toEqual([0, 2]);
    expect(overlapping(vmas, win(5, 8))).toEqual([2, 2]);   // the hole: none
    expect(overlapping(vmas, win(4, 9))).toEqual([1, 3]);
    expect(overlapping(vmas, win(19, 40))).toEqual([3, 4]);
    expect(overlapping([], win(0, 1))).toEqual([0, 0]);
  });
});

describe('vmasInWindows()', () => {
  it('keeps address order and lists a VMA two windows overlap once', () => {
    const vmas = [vma(0, 2), vma(2, 50), vma(60, 61), vma(100, 101)];
    expect(vmasInWindows(vmas, [win(1, 3), win(40, 61)]).map((v) => (v.start - A) / P)).toEqual([0, 2, 60]);
    expect(vmasInWindows(vmas, [])).toEqual([]);
  });

  it('counts a VMA that spans two or three windows once, as a list or a lookup', () => {
    const vmas = [vma(0, 2), vma(5, 300), vma(400, 401)];
    const windows = [win(0, 10), win(100, 110), win(200, 210), win(400, 401)];
    for (const v of [vmas, listLookup(vmas)]) {
      expect(countInWindows(v, windows)).toBe(3);
      expect(vmasInWindows(v, windows).map((x) => (x.start - A) / P)).toEqual([0, 5, 400]);
    }
  });
});

describe('scenarioWindows()', () => {
  it('widens a window to a VMA that crosses its edges, by at most CONTEXT_PAGES (4) on each side', () => {
    // The mmap touched pages [10, 12); the final VMA it merged into is [0, 30).
    expect(scenarioWindows([mmapStep(10, 2)], [vma(0, 30)])).toEqual([win(6, 16)]);
  });

  it('widens to the ends of the VMAs that overlap the touched range, not to their neighbours', () => {
    expect(scenarioWindows([mmapStep(10, 2)], [vma(8, 13), vma(13, 14)])).toEqual([win(8, 13)]);
  });

  it('leaves a window whose VMAs lie inside it as it is', () => {
    expect(scenarioWindows([mmapStep(10, 4)], [vma(10, 12), vma(12, 14)])).toEqual([win(10, 14)]);
  });
});
