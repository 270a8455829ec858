/**
 * The analysis in the engine's VmaView shape, so the site's diagram (src/site/diagram.ts) and
 * the engine's picture() draw real processes the way they draw simulated ones.
 * @module
 */
import type { VmaView } from "../engine/trace.ts";
import { PAGE_SIZE } from "../engine/uapi.ts";
import type { Analysis } from "./analyze.ts";
import { isAnonymous } from "./explain.ts";

/**
 * VmaViews of vmas[first..last] (inclusive). anon_vma is unknown from smaps: always null. The
 * pictures take the engine's number addresses (exact for page-aligned ones below 2^65).
 */
export function vmaViews(a: Analysis, first = 0, last = a.vmas.length - 1): VmaView[] {
  const out: VmaView[] = [];
  for (let i = Math.max(0, first); i <= Math.min(last, a.vmas.length - 1); i++) {
    const v = a.vmas[i]!;
    const anon = isAnonymous(v);
    out.push({
      start: Number(v.start), end: Number(v.end), flags: "", vmflags: v.vmflags, perms: v.perms,
      pgoff: anon ? Math.floor(Number(v.start) / PAGE_SIZE) : v.offset / PAGE_SIZE, name: v.name,
      file: anon ? null : v.name || `${v.dev}:${v.inode}`, anonVma: null, forkChild: false,
    });
  }
  return out;
}

/** A window of the address space worth drawing, with its suspect boundaries. */
export interface Window {
  first: number;
  last: number;
  start: number;
  end: number;
  /** Boundary addresses inside the window where visible attributes allow a merge. */
  suspects: number[];
  /** Boundary addresses where the VMAs touch but differ visibly. */
  explained: number[];
  title: string;
}

/**
 * Windows for the picture: each of the largest runs (clipped to `maxVmas` VMAs around its start,
 * plus one neighbour each side), else the first touching pairs.
 */
export function suspectWindows(a: Analysis, maxVmas = 24, count = 4): Window[] {
  const wins: Window[] = [];
  const pairAt = new Map(a.pairs.map((p) => [p.left, a.reasons[p.reason]!]));
  const make = (first: number, last: number, title: string): Window => {
    first = Math.max(0, first);
    last = Math.min(a.vmas.length - 1, last);
    const suspects: number[] = [];
    const explained: number[] = [];
    for (let i = first; i < last; i++) {
      const r = pairAt.get(i);
      if (!r) continue;
      (r.suspect ? suspects : explained).push(Number(a.vmas[i]!.end));
    }
    return { first, last, start: Number(a.vmas[first]!.start), end: Number(a.vmas[last]!.end), suspects, explained, title };
  };
  for (const r of a.runs.slice(0, count)) {
    const last = Math.min(r.last, r.first + maxVmas - 1);
    wins.push(make(r.first - 1, last + 1, `${r.vmas} VMAs at ${r.start.toString(16)}${last < r.last ? ` (first ${last - r.first + 1} shown)` : ""}`));
  }
  if (!wins.length && a.pairs.length) {
    const p = a.pairs[0]!;
    wins.push(make(p.left - 1, p.left + maxVmas - 2, `touching VMAs from ${a.vmas[p.left]!.start.toString(16)}`));
  }
  return wins;
}
