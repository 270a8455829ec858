// Which part of the address space a scenario is about: the windows its syscalls touched.
// The diagram, the ASCII picture and the "N VMAs" expectations all use these windows.
import type { Step, VmaLookup, VmaView } from 'mergeable';

export const PAGE = 4096;
export interface Window { start: number; end: number }

const MEMORY_CALLS = new Set(['mmap', 'munmap', 'mprotect', 'madvise', 'mremap', 'brk', 'poke', 'memset']);
/** Touched ranges closer than this many pages are drawn as one window. */
const JOIN_PAGES = 64;
/** How far a window may extend into a big neighbouring VMA, in pages. */
const CONTEXT_PAGES = 4;

const down = (a: number) => Math.floor(a / PAGE) * PAGE;
const up = (a: number) => Math.ceil(a / PAGE) * PAGE;

const argNum = (step: Step, i: number) => (typeof step.args[i] === 'number' ? (step.args[i] as number) : NaN);
function add(out: Window[], s: number, e: number): void {
  if (Number.isFinite(s) && Number.isFinite(e) && e > s) out.push({ start: down(s), end: up(e) });
}

/** Address ranges a step touched, from its arguments, return value and events (appended to `out`). */
export function touchedRanges(step: Step, out: Window[] = []): Window[] {
  if (!MEMORY_CALLS.has(step.syscall)) return out;
  // No closures here: this runs once per step, 65,530 times for a big run.
  const a0 = argNum(step, 0), a1 = argNum(step, 1);
  switch (step.syscall) {
    case 'mmap': if (step.ret !== null) add(out, step.ret, step.ret + a1); else if (a0) add(out, a0, a0 + a1); break;
    case 'munmap': case 'mprotect': case 'madvise': case 'memset': add(out, a0, a0 + a1); break;
    case 'mremap': add(out, a0, a0 + a1); if (step.ret !== null) add(out, step.ret, step.ret + argNum(step, 2)); break;
    case 'poke': add(out, a0, a0 + 1); break;
    case 'brk': break; // covered by its events (the heap range that grew or shrank)
  }
  for (const ev of step.events) if (ev.start !== undefined && ev.end !== undefined) add(out, ev.start, ev.end);
  return out;
}

/**
 * Join touched ranges of a trace into windows, widened to whole VMAs (within a margin). `final`:
 * the VMAs at the end, as a list or (a big run in the page) a lookup into the kernel.
 */
export function scenarioWindows(steps: Step[], final: readonly VmaView[] | VmaLookup): Window[] {
  const ranges: Window[] = [];
  const step: Window[] = [];
  for (const s of steps) {
    step.length = 0;
    // A range within JOIN_PAGES of the last one joins it here (the windows come out the same):
    // a loop of 65,530 mmaps next to each other sorts one range, not 65,530.
    for (const r of touchedRanges(s, step)) {
      const last = ranges[ranges.length - 1];
      if (last && r.start <= last.end + JOIN_PAGES * PAGE && r.end >= last.start - JOIN_PAGES * PAGE) {
        last.start = Math.min(last.start, r.start);
        last.end = Math.max(last.end, r.end);
      } else ranges.push(r);
    }
  }
  ranges.sort((a, b) => a.start - b.start);
  const joined: Window[] = [];
  for (const r of ranges) {
    const last = joined[joined.length - 1];
    if (last && r.start <= last.end + JOIN_PAGES * PAGE) last.end = Math.max(last.end, r.end);
    else joined.push({ ...r });
  }
  // Every VMA any step shows is in some step's delta (a step's list is its predecessor's plus its
  // delta), so the union of the deltas stands for all the steps' lists without rebuilding one.
  const shown = [lookupOf(final)];
  for (const s of steps) if (s.vmaDelta?.set.length) shown.push(listLookup(s.vmaDelta.set));
  return joined.map((w) => widen(w, shown));
}

/**
 * Address order, no overlaps: only the VMA containing w.start can start before w, and only the one
 * containing its last byte can end after it; the ones between change nothing (65,530 in a big run).
 */
function widen(w: Window, lookups: VmaLookup[]): Window {
  let { start, end } = w;
  for (const l of lookups) {
    const first = l.at(w.start), last = l.at(w.end - 1);
    if (first) start = Math.min(start, Math.max(first.start, w.start - CONTEXT_PAGES * PAGE));
    if (last) end = Math.max(end, Math.min(last.end, w.end + CONTEXT_PAGES * PAGE));
  }
  return { start, end };
}

/** The index range [lo, hi) of the VMAs of `vmas` (in address order) that overlap `w`: two binary searches. */
export function overlapping(vmas: readonly VmaView[], w: Window): [number, number] {
  let lo = 0, hi = vmas.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (vmas[m]!.end <= w.start) lo = m + 1; else hi = m; }
  let e = lo, top = vmas.length;
  while (e < top) { const m = (e + top) >> 1; if (vmas[m]!.start < w.end) e = m + 1; else top = m; }
  return [lo, e];
}

/** An address-ordered list as a VmaLookup (the engine's lookup reads the kernel instead). */
export function listLookup(vmas: readonly VmaView[]): VmaLookup {
  return {
    at: (addr) => { const [lo, hi] = overlapping(vmas, { start: addr, end: addr + 1 }); return lo < hi ? vmas[lo]! : null; },
    countIn: (start, end) => { const [lo, hi] = overlapping(vmas, { start, end }); return hi - lo; },
    in: (start, end, limit = Infinity) => { const [lo, hi] = overlapping(vmas, { start, end }); return vmas.slice(lo, Math.min(hi, lo + limit)); },
  };
}

const lookupOf = (v: readonly VmaView[] | VmaLookup): VmaLookup => (Array.isArray(v) ? listLookup(v) : v as VmaLookup);

/**
 * Each window (in address order) minus what the windows before it covered: a VMA that overlaps
 * two windows spans the gap between them, so it is the one containing the earlier window's last byte.
 */
function eachNewRange(l: VmaLookup, windows: readonly Window[], f: (start: number, end: number) => void): void {
  let done = -Infinity;
  for (const w of windows) {
    const from = Math.max(w.start, done);
    if (from < w.end) f(from, w.end);
    done = Math.max(done, l.at(w.end - 1)?.end ?? w.end);
  }
}

/** The VMAs that overlap any of `windows` (in address order), each once, in address order. */
export function vmasInWindows(vmas: readonly VmaView[] | VmaLookup, windows: readonly Window[]): VmaView[] {
  const l = lookupOf(vmas), out: VmaView[] = [];
  eachNewRange(l, windows, (start, end) => { for (const v of l.in(start, end)) out.push(v); });
  return out;
}

/** How many VMAs overlap any of `windows`, without building their views. */
export function countInWindows(vmas: readonly VmaView[] | VmaLookup, windows: readonly Window[]): number {
  const l = lookupOf(vmas);
  let n = 0;
  eachNewRange(l, windows, (start, end) => { n += l.countIn(start, end); });
  return n;
}

export function vmasIn(vmas: VmaView[], w: Window): VmaView[] {
  return vmas.filter((v) => v.end > w.start && v.start < w.end);
}
