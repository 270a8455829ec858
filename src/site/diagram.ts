// Address-space diagram model: VMAs of a window as boxes, and what separates each adjacent pair.
// Pure data, rendered to SVG by svg.ts (build time and in the page alike).
import type { VmaView } from 'mergeable';
import { PAGE, type Window } from './region';

export interface Box {
  label: string;          // "A", "B", ... in address order, as in the ASCII picture's legend
  start: number; end: number; pages: number;
  x: number; w: number;   // fraction of the window, 0..1
  perms: string; vmflags: string; name: string;
  mergeable: boolean;     // VM_MERGEABLE ("mg") set
  clippedLeft: boolean; clippedRight: boolean;
}

export type BoundaryKind = 'differ' | 'identical';
export interface Boundary {
  at: number; x: number;
  left: string; right: string;         // box labels
  kind: BoundaryKind;                   // 'identical': same attributes yet two VMAs (not merged)
  reasons: string[];                    // e.g. ["mg only on A", "perms rw-p ≠ r--p"]
}

export interface DiagramModel { window: Window; pages: number; boxes: Box[]; boundaries: Boundary[]; gaps: { x: number; w: number }[] }

const hex = (n: number) => '0x' + n.toString(16);
export const labelOf = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `V${i}`);

/** Why two adjacent VMAs are separate, from what /proc shows (flags, perms, file, pgoff, anon_vma). */
export function separation(a: VmaView, b: VmaView): string[] {
  const reasons: string[] = [];
  const fa = new Set(a.vmflags.split(' ').filter(Boolean));
  const fb = new Set(b.vmflags.split(' ').filter(Boolean));
  const onlyA = [...fa].filter((f) => !fb.has(f));
  const onlyB = [...fb].filter((f) => !fa.has(f));
  if (onlyA.length) reasons.push(`${onlyA.join(' ')} only on the left VMA`);
  if (onlyB.length) reasons.push(`${onlyB.join(' ')} only on the right VMA`);
  if (a.perms !== b.perms && !onlyA.length && !onlyB.length) reasons.push(`perms ${a.perms} ≠ ${b.perms}`);
  if (a.file !== b.file) reasons.push(`different file (${a.file ?? 'anonymous'} / ${b.file ?? 'anonymous'})`);
  else if (a.file && a.pgoff + (a.end - a.start) / PAGE !== b.pgoff) reasons.push('file offsets not contiguous');
  if (a.anonVma !== null && b.anonVma !== null && a.anonVma !== b.anonVma) reasons.push('different anon_vma');
  if (a.name !== b.name && a.file === b.file) reasons.push(`different name (${a.name || '—'} / ${b.name || '—'})`);
  return reasons;
}

export function diagramModel(vmas: VmaView[], window: Window): DiagramModel {
  const span = window.end - window.start;
  const inWin = vmas.filter((v) => v.end > window.start && v.start < window.end).sort((a, b) => a.start - b.start);
  const boxes: Box[] = inWin.map((v, i) => {
    const s = Math.max(v.start, window.start), e = Math.min(v.end, window.end);
    return {
      label: labelOf(i), start: v.start, end: v.end, pages: (v.end - v.start) / PAGE,
      x: (s - window.start) / span, w: (e - s) / span,
      perms: v.perms, vmflags: v.vmflags, name: v.name,
      mergeable: v.vmflags.split(' ').includes('mg'),
      clippedLeft: v.start < window.start, clippedRight: v.end > window.end,
    };
  });
  const boundaries: Boundary[] = [];
  const gaps: { x: number; w: number }[] = [];
  let cursor = window.start;
  for (let i = 0; i < inWin.length; i++) {
    const v = inWin[i];
    if (v.start > cursor) gaps.push({ x: (cursor - window.start) / span, w: (v.start - cursor) / span });
    cursor = Math.max(cursor, v.end);
    const n = inWin[i + 1];
    if (n && n.start === v.end) {
      const reasons = separation(v, n);
      boundaries.push({ at: v.end, x: (v.end - window.start) / span, left: boxes[i].label, right: boxes[i + 1].label,
        kind: reasons.length ? 'differ' : 'identical', reasons });
    }
  }
  if (cursor < window.end) gaps.push({ x: (cursor - window.start) / span, w: (window.end - cursor) / span });
  return { window, pages: span / PAGE, boxes, boundaries, gaps };
}

/** One-line description of each box and boundary: the legend under the ASCII picture. */
export function legend(m: DiagramModel): string[] {
  const lines = m.boxes.map((b) => `${b.label}: ${hex(b.start)}-${hex(b.end)} ${b.perms} ${b.pages} page${b.pages === 1 ? '' : 's'}${b.name ? ' ' + b.name : ''} [${b.vmflags}]`);
  for (const bd of m.boundaries) {
    lines.push(bd.kind === 'identical'
      ? `${bd.left}|${bd.right} at ${hex(bd.at)}: identical attributes, yet not merged`
      : `${bd.left}|${bd.right} at ${hex(bd.at)}: ${bd.reasons.join('; ')}`);
  }
  return lines;
}
