// Which part of the address space a scenario is about: the windows its syscalls touched.
// The diagram, the ASCII picture and the "N VMAs" expectations all use these windows.
import type { Step, VmaView } from 'mergeable';

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

/** Join touched ranges of a trace into windows, widened to whole VMAs (within a margin). */
export function scenarioWindows(steps: Step[], finalVmas: VmaView[]): Window[] {
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
  // The lists are walked in place: copying 65,530 final VMAs into one array per run was garbage.
  const shown = [finalVmas];
  for (const s of steps) if (s.vmaDelta?.set.length) shown.push(s.vmaDelta.set);
  return joined.map((w) => widen(w, shown));
}

function widen(w: Window, lists: VmaView[][]): Window {
  let { start, end } = w;
  for (const vmas of lists) {
    // Address order, no overlaps: of the VMAs overlapping w, only the first can start before it and
    // only the last can end after it; the ones between change nothing (65,530 of them in a big run).
    const [lo, hi] = overlapping(vmas, w);
    if (lo === hi) continue;
    start = Math.min(start, Math.max(vmas[lo]!.start, w.start - CONTEXT_PAGES * PAGE));
    end = Math.max(end, Math.min(vmas[hi - 1]!.end, w.end + CONTEXT_PAGES * PAGE));
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

/** The VMAs of `vmas` (in address order) that overlap any of `windows` (in address order), each once. */
export function vmasInWindows(vmas: readonly VmaView[], windows: readonly Window[]): VmaView[] {
  const out: VmaView[] = [];
  let done = 0;
  for (const w of windows) {
    const [lo, hi] = overlapping(vmas, w);
    for (let i = Math.max(lo, done); i < hi; i++) out.push(vmas[i]!);
    done = Math.max(done, hi);
  }
  return out;
}

export function vmasIn(vmas: VmaView[], w: Window): VmaView[] {
  return vmas.filter((v) => v.end > w.start && v.start < w.end);
}
