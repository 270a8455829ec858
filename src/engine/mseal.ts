/**
 * mseal() (mm/mseal.c do_mseal(), mseal_apply(); 6.10+): seal [start, end) so that munmap,
 * mremap, mprotect and discarding madvise refuse with EPERM (the checks are in munmap.ts,
 * mremap.ts, mprotect.ts and madvise.ts). Each VMA of the range gets VM_SEALED through
 * vma_modify_flags(), so it merges with a sealed neighbour of the same attributes.
 * @module
 */
import { fail } from "./errno.ts";
import { VM_SEALED_HI } from "./flags.ts";
import type { Mm } from "./mm.ts";
import { pageAlign } from "./munmap.ts";
import { splitVma, vmaModify32 } from "./split.ts";
import type { Vma } from "./vma.ts";
import { hexAddr } from "./trace.ts";
import { PAGE_SIZE } from "./uapi.ts";

/** range_contains_unmapped(): a hole anywhere in [start, end). */
function rangeContainsUnmapped(mm: Mm, start: number, end: number): boolean {
  let prevEnd = start;
  for (let v = mm.tree.findVma(start); v && v.start < end; v = v.next) {
    if (v.start > prevEnd) return true;
    prevEnd = v.end;
  }
  return prevEnd < end;
}

/**
 * mseal_apply(): seal each VMA piece in turn. 6.17-6.18.20 and 6.19 carry the piece's start over
 * from the previous piece's end (msealStaleStart): after a VMA merged with the one after it,
 * that start lies before the next VMA, so vma_merge_existing_range() sees no left edge and the
 * next VMA cannot merge with the sealed one before it (2697dd8ae721 fixes it).
 */
function msealApply(mm: Mm, start: number, end: number): void {
  const stale = mm.kernel.profile.msealStaleStart;
  let v: Vma | null = mm.tree.findVma(start);
  let currStart = start;
  while (v && v.start < end) {
    const currEnd = Math.min(v.end, end);
    const pieceStart = stale ? currStart : Math.max(v.start, start);
    let done = v;
    if ((v.flagsHi & VM_SEALED_HI) === 0) {
      if (pieceStart < v.start) done = sealStale(mm, v, pieceStart, currEnd);
      else done = vmaModify32(mm, v, pieceStart, currEnd, v.flagsLo, v.flagsHi | VM_SEALED_HI, v.anonName,
        "mseal", "mseal");
    }
    currStart = currEnd;
    // for_each_vma_range(): the next VMA after the one that now holds the piece.
    v = done.end < end ? mm.tree.findVma(done.end) : null;
  }
}

/**
 * The stale-start case (msealStaleStart): vma_modify_flags() with a range starting before `v`.
 * vma_merge_existing_range() sees no left edge, so no left merge; a range ending inside v has
 * no right edge either, and vma_modify() splits v at `end`. A range reaching v's end next to a
 * sealed twin would hand the right merge an inverted range: not modelled, refused loudly.
 */
function sealStale(mm: Mm, v: Vma, start: number, end: number): Vma {
  const n = v.next;
  const sealed = v.flagsHi | VM_SEALED_HI;
  if (end === v.end && n && n.start === v.end && n.flagsLo === v.flagsLo && n.flagsHi === sealed &&
    n.file === v.file && n.anonName === v.anonName) {
    fail("EINVAL", "mseal", `sealing [${hexAddr(v.start)}-${hexAddr(v.end)}) from the stale start ` +
      `${hexAddr(start)} could merge it with the sealed next VMA through an inverted range: ` +
      `not modelled by the engine (fixed by 2697dd8ae721)`);
  }
  mm.kernel.tracer.on && mm.kernel.tracer.event("info", "mseal_apply",
    `curr_start ${hexAddr(start)} is the end of the previous piece, before this VMA's start ` +
    `${hexAddr(v.start)} (the previous VMA merged past it): no merge with prev (fixed by 2697dd8ae721)`,
    v.start, v.end);
  if (v.end > end) splitVma(mm, v, end, false, true, "mseal");
  v.flagsHi = sealed;
  return v;
}

/** do_mseal(): flags must be 0, start page aligned, the whole range mapped. */
export function doMseal(mm: Mm, start: number, lenIn: number, flags: number): void {
  if (!mm.kernel.profile.mseal) fail("ENOSYS", "mseal", "mseal() exists from 6.10 (8be7258aad44)");
  if (flags) fail("EINVAL", "mseal", `flags ${flags} must be 0`);
  if (start % PAGE_SIZE) fail("EINVAL", "mseal", `addr ${hexAddr(start)} is not page aligned`);
  const len = pageAlign(lenIn);
  if (lenIn && !len) fail("EINVAL", "mseal", "length overflows when rounded up to a page");
  const end = start + len;
  if (end < start || end > 2 ** 64) fail("EINVAL", "mseal", "range wraps around");
  if (end === start) return;
  if (rangeContainsUnmapped(mm, start, end)) fail("ENOMEM", "mseal",
    `[${hexAddr(start)}-${hexAddr(end)}) is not entirely mapped: nothing was sealed`);
  msealApply(mm, start, end);
}
