/**
 * Guard-region PTE markers (PTE_MARKER_GUARD) as page tables carry them: Mm.guards holds their
 * virtual page numbers. munmap's zap drops them, move_page_tables() moves them and
 * copy_page_range() copies them at fork; madvise's install and remove are in guard.ts.
 * @module
 */
import type { Mm } from "./mm.ts";
import { PAGE_SIZE } from "./uapi.ts";

/** Drop the markers in [start, end) (munmap's zap, MADV_GUARD_REMOVE). */
export function clearGuards(mm: Mm, start: number, end: number): void {
  if (!mm.guards.size) return;
  for (let vpn = start / PAGE_SIZE; vpn < end / PAGE_SIZE; vpn++) mm.guards.delete(vpn);
}

/** move_page_tables(): markers in [from, from + len) follow to `to`. */
export function moveGuards(mm: Mm, from: number, to: number, len: number): void {
  if (!mm.guards.size) return;
  const delta = (to - from) / PAGE_SIZE;
  const moved: number[] = [];
  for (let vpn = from / PAGE_SIZE; vpn < (from + len) / PAGE_SIZE; vpn++) {
    if (mm.guards.delete(vpn)) moved.push(vpn + delta);
  }
  for (const vpn of moved) mm.guards.add(vpn);
}

/** copy_page_range() at fork: the child gets the parent's markers in [start, end). */
export function copyGuards(parent: Mm, child: Mm, start: number, end: number): void {
  if (!parent.guards.size) return;
  for (let vpn = start / PAGE_SIZE; vpn < end / PAGE_SIZE; vpn++) if (parent.guards.has(vpn)) child.guards.add(vpn);
}
