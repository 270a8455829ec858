/**
 * mremap() (mm/mremap.c): shrink, grow in place (vma_merge_extend(): a new-range merge with the
 * VMA's own attributes, so it can also absorb next), or move (copy_vma() + unmap the old range).
 * Not modelled: userfaultfd, mlock accounting, hugetlb alignment.
 * @module
 */
import { fail } from "./errno.ts";
import { VM_ACCOUNT, VM_DONTEXPAND, VM_LOCKED_LO, VM_LOCKED_MASK, VM_MAYSHARE, VM_PFNMAP, VM_SEALED, VM_SHARED,
  clearFlags } from "./flags.ts";
import { mmPopulate } from "./mlock.ts";
import type { Mm } from "./mm.ts";
import { vmaMergeNewRange } from "./merge.ts";
import { vmgVmaState } from "./vma_merge_struct.ts";
import { doVmiAlignMunmap, pageAlign } from "./munmap.ts";
import { getUnmappedArea } from "./unmapped_area.ts";
import { copyAttrs } from "./split.ts";
import { moveGuards } from "./guard_markers.ts";
import { isAnonymousVma } from "./anon.ts";
import type { Vma } from "./vma.ts";
import { hexAddr } from "./trace.ts";
import { vmEnoughMemory } from "./overcommit.ts";
import { MAP_SHARED, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, PAGE_SIZE, TASK_SIZE } from "./uapi.ts";

/** move_page_tables(): the PTEs follow the pages to their new address. */
function movePtes(mm: Mm, from: number, to: number, len: number): void {
  const delta = (to - from) / PAGE_SIZE;
  const first = from / PAGE_SIZE;
  const last = (from + len) / PAGE_SIZE;
  const moved: [number, ReturnType<typeof mm.ptes.get>][] = [];
  for (const [vpn, page] of mm.ptes) if (vpn >= first && vpn < last) moved.push([vpn, page]);
  for (const [vpn] of moved) mm.ptes.delete(vpn);
  for (const [vpn, page] of moved) mm.ptes.set(vpn + delta, page!);
}

/**
 * copy_vma(): the destination VMA of a move. An unfaulted anonymous VMA takes the pgoff of its
 * new address (so it can merge anywhere); a faulted one keeps its linear pgoff.
 */
function copyVma(mm: Mm, v: Vma, addr: number, len: number, pgoff: number): Vma {
  if (isAnonymousVma(v) && !v.anonVma) pgoff = addr / PAGE_SIZE;
  const prev = mm.tree.floor(addr - 1);
  const p = prev && prev.end <= addr ? prev : null;
  const vmg = vmgVmaState(mm, p, v, addr, addr + len, "mremap");
  vmg.middle = null; // a new range
  vmg.pgoff = pgoff;
  vmg.next = p ? p.next : mm.tree.first();
  vmg.copiedFrom = v;
  const merged = vmaMergeNewRange(vmg);
  if (merged) return merged;
  const nv = mm.newVma(addr, addr + len, v.flags, pgoff, v.file);
  copyAttrs(nv, v);
  mm.insert(nv);
  mm.kernel.tracer.on && mm.kernel.tracer.event("new", "copy_vma",
    `new VMA [${hexAddr(addr)}-${hexAddr(addr + len)}) for the moved range`, addr, addr + len);
  return nv;
}

/** vrm_calc_charge() (6.17+; vma_to_resize() before): an accounted VMA commits what it grows by. */
function remapCharge(mm: Mm, v: Vma, bytes: number): void {
  if (v.flags & VM_ACCOUNT && bytes > 0) vmEnoughMemory(mm, bytes / PAGE_SIZE,
    "mremap", `growing [${hexAddr(v.start)}-${hexAddr(v.end)})`);
}

/** move_vma(): copy, move the page tables, unmap the source. */
function moveVma(mm: Mm, v: Vma, old: number, oldLen: number, newLen: number, newAddr: number, flags: number): number {
  const k = mm.kernel;
  if (mm.map_count >= k.maxMapCount - 3) fail("ENOMEM", "mremap",
    `map_count (${mm.map_count}) >= vm.max_map_count - 3: move_vma() keeps room to split the source in three`);
  // vrm_calc_charge(): a move that keeps the source (MREMAP_DONTUNMAP) commits all of the new length.
  remapCharge(mm, v, flags & MREMAP_DONTUNMAP ? newLen : newLen - oldLen);
  const pgoff = v.pgoff + (old - v.start) / PAGE_SIZE;
  const dst = copyVma(mm, v, newAddr, newLen, pgoff);
  movePtes(mm, old, newAddr, Math.min(oldLen, newLen));
  moveGuards(mm, old, newAddr, Math.min(oldLen, newLen));
  if (flags & MREMAP_DONTUNMAP) {
    // The source stays mapped, empty. Until 6.18 it also lost VM_ACCOUNT (dontunmap_complete()).
    const src = mm.tree.lookup(old);
    if (src && !k.profile.dontunmapKeepsAccount) src.flags = clearFlags(src.flags, VM_ACCOUNT);
    // dontunmap_complete(): "We always clear VM_LOCKED[ONFAULT] on the old VMA" — the whole VMA
    // holding the old range now, which may be the one the copy merged into.
    if (src) src.flags = clearFlags(src.flags, VM_LOCKED_MASK);
    // When the whole VMA moved, its anon_vma links are dropped (unlink_anon_vmas(), "mm: mremap:
    // unlink anon_vmas when mremap with MREMAP_DONTUNMAP success", 6.1): it is unfaulted again.
    if (src && src !== dst && src.start === old && src.end === old + oldLen) {
      src.anonVma = null;
      src.forkChild = false;
    }
    return newAddr;
  }
  doVmiAlignMunmap(mm, old, old + oldLen, "mremap");
  return newAddr;
}

/**
 * vma_to_resize() (≤6.16) / check_prep_vma() (6.17+): the source must be one VMA that may be
 * resized or moved as asked.
 */
function checkSource(v: Vma, old: number, oldLen: number, newLen: number, flags: number): void {
  if (v.flags & VM_SEALED) fail("EPERM", "mremap", "the VMA is sealed (mseal())");
  if (!oldLen && !(v.flags & (VM_SHARED | VM_MAYSHARE))) fail("EINVAL", "mremap",
    "old_size 0 duplicates a mapping, which only shared mappings allow");
  if (flags & MREMAP_DONTUNMAP && v.flags & (VM_DONTEXPAND | VM_PFNMAP)) fail("EINVAL", "mremap",
    "MREMAP_DONTUNMAP on a VM_DONTEXPAND or VM_PFNMAP mapping");
  if (old + oldLen > v.end) fail("EFAULT", "mremap",
    `[${hexAddr(old)}-${hexAddr(old + oldLen)}) is not inside one VMA ([${hexAddr(v.start)}-${hexAddr(v.end)})): ` +
    `mremap() cannot cross VMA boundaries`);
  if (newLen > oldLen && v.flags & (VM_DONTEXPAND | VM_PFNMAP)) fail("EFAULT", "mremap",
    `[${hexAddr(v.start)}-${hexAddr(v.end)}) is VM_DONTEXPAND or VM_PFNMAP and cannot grow`);
}

/**
 * vma_multi_allowed(): a VMA whose file has its own get_unmapped_area (here /dev/zero's
 * get_unmapped_area_zero()) might not honour MREMAP_FIXED, so it may only be moved alone;
 * shmem and THP-aligned files (thp_get_unmapped_area, e.g. ext4) are known good.
 */
function multiAllowed(v: Vma): boolean {
  return !v.file || v.file.inode.kind !== "devzero" || (v.flags & VM_SHARED) !== 0n;
}

/**
 * remap_move() (6.17+): MREMAP_FIXED with an unchanged length moves every VMA in the range one
 * at a time, keeping the gaps between them; each piece is checked (check_prep_vma()) and moved
 * by mremap_to(), which unmaps only that piece's target. The range must start inside a VMA.
 */
function remapMove(mm: Mm, old: number, len: number, newAddr: number, flags: number): number {
  const end = old + len;
  let seen = false;
  let target = newAddr;
  let lastEnd = 0;
  let res = newAddr;
  for (let v = mm.tree.findVma(old); v && v.start < end; v = mm.tree.findVma(lastEnd)) {
    const addr = Math.max(v.start, old);
    const plen = Math.min(end, v.end) - addr;
    if (!seen && old < v.start) fail("EFAULT", "mremap", `no VMA maps ${hexAddr(old)}: a move may not start in a gap`);
    const offset = seen ? v.start - lastEnd : 0;
    lastEnd = v.end;
    const dest = target + offset;
    if (!multiAllowed(v) && (seen || v.end < end)) {
      fail("EFAULT", "mremap",
        `[${hexAddr(v.start)}-${hexAddr(v.end)}) maps a file with its own get_unmapped_area (${v.file!.inode.path}): ` +
        `it can only be moved alone (vma_multi_allowed())`);
    }
    checkSource(v, addr, plen, plen, flags);
    doVmiAlignMunmap(mm, dest, dest + plen, "mremap");
    const src = mm.tree.lookup(addr)!;
    moveVma(mm, src, addr, plen, plen, dest, flags);
    if (!seen) res = dest;
    seen = true;
    target = dest + plen;
    if (lastEnd >= end) break;
  }
  if (!seen) fail("EFAULT", "mremap", `no VMA maps ${hexAddr(old)}`);
  return res;
}

/**
 * mremap(old_address, old_size, new_size, flags, new_address); a VM_LOCKED VMA that grew has its
 * new part faulted in (vrm->populate_expand → mm_populate(), 6.18.2; `locked` in older releases).
 */
export function doMremap(mm: Mm, old: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  const v = mm.tree.lookup(old);
  const locked = v !== null && (v.flagsLo & VM_LOCKED_LO) !== 0;
  const ret = remap(mm, old, oldLen, newLen, flags, newAddr);
  const [ol, nl] = [pageAlign(oldLen), pageAlign(newLen)];
  if (locked && nl > ol) mmPopulate(mm, ret + ol, ret + nl, "mremap");
  return ret;
}

function remap(mm: Mm, old: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  const k = mm.kernel;
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) fail("EINVAL", "mremap",
    `unknown flags ${hexAddr(flags)}`);
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) fail("EINVAL", "mremap", "MREMAP_FIXED needs MREMAP_MAYMOVE");
  if (flags & MREMAP_DONTUNMAP && (!(flags & MREMAP_MAYMOVE) || oldLen !== newLen)) fail("EINVAL", "mremap",
    "MREMAP_DONTUNMAP needs MREMAP_MAYMOVE and old_size == new_size");
  if (old % PAGE_SIZE) fail("EINVAL", "mremap", `old_address ${hexAddr(old)} is not page aligned`);
  oldLen = pageAlign(oldLen);
  newLen = pageAlign(newLen);
  if (!newLen) fail("EINVAL", "mremap", "new_size is 0");
  const impliesNew = (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) !== 0;
  if (flags & MREMAP_FIXED) {
    if (newAddr % PAGE_SIZE) fail("EINVAL", "mremap", `new_address ${hexAddr(newAddr)} is not page aligned`);
    if (newLen > TASK_SIZE || newAddr > TASK_SIZE - newLen) fail("EINVAL", "mremap", "new range beyond TASK_SIZE");
    if (newAddr < old + oldLen && old < newAddr + newLen) fail("EINVAL", "mremap", "old and new ranges overlap");
  }
  if (impliesNew && mm.map_count + 2 >= k.maxMapCount - 3) fail("ENOMEM", "mremap",
    `map_count (${mm.map_count}) + 2 >= vm.max_map_count - 3`);
  if (k.profile.mremapCheckFirst) {
    // 6.17+: vma_lookup() + check_prep_vma() before anything is unmapped.
    if ((flags & MREMAP_FIXED) !== 0 && oldLen === newLen) return remapMove(mm, old, oldLen, newAddr, flags);
    const v = mm.tree.lookup(old);
    if (!v) fail("EFAULT", "mremap", `no VMA maps ${hexAddr(old)}`);
    if (v.flags & VM_SEALED) fail("EPERM", "mremap", "the VMA is sealed (mseal())");
    if (newLen > oldLen || impliesNew) checkSource(v, old, oldLen, newLen, flags);
  }
  if (flags & MREMAP_FIXED) {
    // mremap_to(): the target is unmapped first, and a shrink unmaps the source's tail.
    doVmiAlignMunmap(mm, newAddr, newAddr + newLen, "mremap");
    if (oldLen > newLen) {
      doVmiAlignMunmap(mm, old + newLen, old + oldLen, "mremap");
      oldLen = newLen;
    }
  } else if (oldLen >= newLen) {
    // Shrinking: unmap the tail (always possible).
    if (oldLen > newLen) doVmiAlignMunmap(mm, old + newLen, old + oldLen, "mremap");
    return old;
  }
  const v = mm.tree.lookup(old);
  if (!v) fail("EFAULT", "mremap", `no VMA maps ${hexAddr(old)}`);
  checkSource(v, old, oldLen, newLen, flags);
  if (flags & MREMAP_FIXED || flags & MREMAP_DONTUNMAP) {
    const dest = flags & MREMAP_FIXED ? newAddr
      : getUnmappedArea(mm, 0, newLen, v.flags & VM_MAYSHARE ? MAP_SHARED : 0, "mremap");
    return moveVma(mm, v, old, oldLen, newLen, dest, flags);
  }
  // Grow in place: the range ends at the VMA's end and the space after it is free.
  const delta = newLen - oldLen;
  remapCharge(mm, v, delta);
  if (old + oldLen === v.end) {
    const end = v.end + delta;
    const next = v.next;
    if (end <= TASK_SIZE && (!next || next.start >= end)) {
      // vma_merge_extend(): a new-range merge of [v.end, end) with v as prev, v's own attributes.
      const vmg = vmgVmaState(mm, v, v, v.end, end, "mremap");
      vmg.next = next;
      vmg.middle = null; // v only populates the attributes
      const merged = vmaMergeNewRange(vmg);
      if (!merged) fail("ENOMEM", "mremap", "vma_merge_extend() could not expand the VMA");
      return old;
    }
  }
  if (!(flags & MREMAP_MAYMOVE)) fail("ENOMEM", "mremap",
    `cannot grow [${hexAddr(v.start)}-${hexAddr(v.end)}) in place and MREMAP_MAYMOVE was not given`);
  const dest = getUnmappedArea(mm, 0, newLen, v.flags & (VM_MAYSHARE | VM_SHARED) ? MAP_SHARED : 0, "mremap");
  return moveVma(mm, v, old, oldLen, newLen, dest, flags);
}
