/**
 * The VMAs after each step, stored as changes from the same process's previous step: a copy of
 * every VMA per step made 65,530 mmaps cost 2.7 GB. {@link vmasAt} rebuilds a step's full list.
 * A teaching instrument (the kernel keeps no history); the walk reads mm->mm_mt in address order.
 * @module
 */
import type { Mm } from "./mm.ts";
import { vmaName, vmaView } from "./procfs.ts";
import type { Step, VmaDelta, VmaView } from "./trace.ts";

export type { VmaDelta } from "./trace.ts";

/** Above this many VMAs a step keeps no snapshot (the trace would be too large to show anyway). */
export const SNAPSHOT_LIMIT = 4096;

/** Records one process's snapshots: remembers the last list and what it was built from. */
export class VmaRecorder {
  /** The last list (null: none yet, or above the limit), and its vm_flags halves (no BigInt). */
  private views: VmaView[] | null = null;
  private lo: number[] = [];
  private hi: number[] = [];
  /** The other buffers: the walk writes the new list there while reading the last one. */
  private spare: { views: VmaView[]; lo: number[]; hi: number[] } = { views: [], lo: [], hi: [] };

  /** The change since the last call, or null above {@link SNAPSHOT_LIMIT} VMAs. */
  record(mm: Mm): VmaDelta | null {
    if (mm.map_count > SNAPSHOT_LIMIT) {
      this.views = null;
      return null;
    }
    const prev = this.views, plo = this.lo, phi = this.hi;
    const np = prev ? prev.length : 0;
    const { views, lo, hi } = this.spare;
    const set: VmaView[] = [], removed: number[] = [];
    let j = 0, n = 0;
    for (let v = mm.tree.first(); v; v = v.next) {
      let view: VmaView | null = null;
      if (prev) {
        while (j < np && prev[j]!.start < v.start) removed.push(prev[j++]!.start);
        const p = j < np ? prev[j]! : null;
        if (p && p.start === v.start) {
          if (p.end === v.end && plo[j] === v.flagsLo && phi[j] === v.flagsHi && p.pgoff === v.pgoff &&
              p.file === (v.file ? v.file.inode.path : null) && p.anonVma === (v.anonVma ? v.anonVma.id : null) &&
              p.forkChild === (!!v.anonVma && v.forkChild) && p.name === vmaName(mm, v)) view = p;
          j++;
        }
      }
      if (!view) set.push((view = vmaView(mm, v)));
      views[n] = view;
      lo[n] = v.flagsLo;
      hi[n++] = v.flagsHi;
    }
    while (j < np) removed.push(prev![j++]!.start);
    views.length = lo.length = hi.length = n;
    this.spare = { views: prev ?? [], lo: plo, hi: phi };
    this.views = views;
    this.lo = lo;
    this.hi = hi;
    return { full: !prev, set, removed };
  }
}

/** A list rebuilt by vmasAt(): the step it is for. */
interface Cached { i: number; list: VmaView[] }
const cache = new WeakMap<readonly Step[], Map<number, Cached>>();

/** `list` after `d` (both in address order). */
function apply(list: readonly VmaView[], d: VmaDelta): VmaView[] {
  if (d.full) return d.set.slice();
  const gone = new Set(d.removed);
  for (const v of d.set) gone.add(v.start);
  const out: VmaView[] = [];
  let k = 0;
  for (const v of list) {
    if (gone.has(v.start)) continue;
    while (k < d.set.length && d.set[k]!.start < v.start) out.push(d.set[k++]!);
    out.push(v);
  }
  while (k < d.set.length) out.push(d.set[k++]!);
  return out;
}

/**
 * The VMAs of step `i`'s process after step `i`: [] for kernel-wide steps (pid 0) and steps above
 * {@link SNAPSHOT_LIMIT} VMAs. Pure; reading steps in order costs one delta each (cached).
 */
export function vmasAt(steps: readonly Step[], i: number): VmaView[] {
  const s = steps[i];
  if (!s || !s.vmaDelta) return [];
  let byPid = cache.get(steps);
  if (!byPid) cache.set(steps, (byPid = new Map()));
  const c = byPid.get(s.pid);
  if (c && c.i === i) return c.list.slice();
  // Start at the cached step if it is on the way, else at the last full snapshot before i.
  let j = i;
  while (!steps[j]!.vmaDelta!.full && !(c && c.i === j)) {
    do j--; while (steps[j]!.pid !== s.pid);
  }
  let list = c && c.i === j ? c.list : apply([], steps[j]!.vmaDelta!);
  for (let k = j + 1; k <= i; k++) if (steps[k]!.pid === s.pid) list = apply(list, steps[k]!.vmaDelta!);
  byPid.set(s.pid, { i, list });
  return list.slice();
}
