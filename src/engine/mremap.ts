/**
 * mremap() (mm/mremap.c): shrink, grow in place (vma_merge_extend(): a new-range merge with the
 * VMA's own attributes, so it can also absorb next), or move (copy_vma() + unmap the old range).
 * Not modelled: the 6.17 multi-VMA move (MREMAP_FIXED with old_len == new_len over several VMAs
 * is refused with EFAULT, as 6.16 does), userfaultfd and mlock accounting.
 * @module
 */
import { fail } from "./errno.ts";
import { VM_ACCOUNT, VM_DONTEXPAND, VM_LOCKED, VM_MAYSHARE, VM_PFNMAP, VM_SEALED, VM_SHARED, clearFlags } from "./flags.ts";
import type { Mm } from "./mm.ts";
import { vmaMergeNewRange } from "./merge.ts";
import { doVmiAlignMunmap, pageAlign } from "./munmap.ts";
import { getUnmappedArea } from "./unmapped_area.ts";
import { copyAttrs } from "./split.ts";
import { isAnonymousVma } from "./anon.ts";
import type { Vma } from "./vma.ts";
import { hexAddr } from "./trace.ts";
import { MAP_FIXED, MAP_SHARED, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, PAGE_SIZE, TASK_SIZE } from "./uapi.ts";

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
  const merged = vmaMergeNewRange({
    mm, start: addr, end: addr + len, pgoff, flags: v.flags, file: v.file, anonVma: v.anonVma,
    anonName: v.anonName, prev: p, next: p ? p.next : mm.tree.first(), middle: null, copiedFrom: v, caller: "mremap",
  });
  if (merged) return merged;
  const nv = mm.newVma(addr, addr + len, v.flags, pgoff, v.file);
  copyAttrs(nv, v);
  mm.insert(nv);
  mm.kernel.tracer.event("new", "copy_vma", () => `new VMA [${hexAddr(addr)}-${hexAddr(addr + len)}) for the moved range`, addr, addr + len);
  return nv;
}

/** move_vma(): copy, move the page tables, unmap the source. */
function moveVma(mm: Mm, v: Vma, old: number, oldLen: number, newLen: number, newAddr: number, flags: number): number {
  const k = mm.kernel;
  if (mm.map_count >= k.maxMapCount - 3) fail("ENOMEM", "mremap", `map_count (${mm.map_count}) >= vm.max_map_count - 3: move_vma() keeps room to split the source in three`);
  const pgoff = v.pgoff + (old - v.start) / PAGE_SIZE;
  const src = v;
  const dst = copyVma(mm, src, newAddr, newLen, pgoff);
  movePtes(mm, old, newAddr, Math.min(oldLen, newLen));
  if (flags & MREMAP_DONTUNMAP) {
    // The source stays mapped but empty; it is no longer charged.
    src.flags = clearFlags(src.flags, VM_ACCOUNT);
    return newAddr;
  }
  // The source may have been merged away only if it was the destination's neighbour; look it up again.
  doVmiAlignMunmap(mm, old, old + oldLen, "mremap");
  void dst;
  return newAddr;
}

/** mremap(old_address, old_size, new_size, flags, new_address). */
export function doMremap(mm: Mm, old: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  const k = mm.kernel;
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) fail("EINVAL", "mremap", `unknown flags ${hexAddr(flags)}`);
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) fail("EINVAL", "mremap", "MREMAP_FIXED needs MREMAP_MAYMOVE");
  if (flags & MREMAP_DONTUNMAP && (!(flags & MREMAP_MAYMOVE) || oldLen !== newLen)) fail("EINVAL", "mremap", "MREMAP_DONTUNMAP needs MREMAP_MAYMOVE and old_size == new_size");
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
  if (impliesNew && mm.map_count + 2 >= k.maxMapCount - 3) fail("ENOMEM", "mremap", `map_count (${mm.map_count}) + 2 >= vm.max_map_count - 3`);
  if (flags & MREMAP_FIXED) {
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
  // vma_to_resize()
  const v = mm.tree.lookup(old);
  if (!v) fail("EFAULT", "mremap", `no VMA maps ${hexAddr(old)}`);
  if (v.flags & VM_SEALED) fail("EPERM", "mremap", "the VMA is sealed");
  if (old + oldLen > v.end) fail("EFAULT", "mremap", `[${hexAddr(old)}-${hexAddr(old + oldLen)}) is not inside one VMA ([${hexAddr(v.start)}-${hexAddr(v.end)}))`);
  if (flags & MREMAP_DONTUNMAP && v.flags & (VM_DONTEXPAND | VM_PFNMAP)) fail("EINVAL", "mremap", "MREMAP_DONTUNMAP on a VM_DONTEXPAND or VM_PFNMAP mapping");
  if (newLen > oldLen && v.flags & (VM_DONTEXPAND | VM_PFNMAP)) fail("EFAULT", "mremap", `[${hexAddr(v.start)}-${hexAddr(v.end)}) is VM_DONTEXPAND or VM_PFNMAP and cannot grow`);
  if (v.flags & VM_LOCKED && newLen > oldLen) {
    // mlock limits are not modelled (the engine runs as root, RLIMIT_MEMLOCK does not bind).
  }
  if (flags & MREMAP_FIXED || flags & MREMAP_DONTUNMAP) {
    const dest = flags & MREMAP_FIXED ? newAddr : getUnmappedArea(mm, 0, newLen, v.flags & VM_MAYSHARE ? MAP_SHARED : 0, "mremap");
    return moveVma(mm, v, old, oldLen, newLen, dest, flags);
  }
  // Grow in place: the range ends at the VMA's end and the space after it is free.
  const delta = newLen - oldLen;
  if (old + oldLen === v.end) {
    const end = v.end + delta;
    const next = v.next;
    const free = end <= TASK_SIZE && end > v.end && (!next || next.start >= end);
    if (free) {
      // vma_merge_extend(): a new-range merge of [v.end, end) with v as prev, v's own attributes.
      const merged = vmaMergeNewRange({
        mm, start: v.end, end, pgoff: v.pgoff + v.pages, flags: v.flags, file: v.file, anonVma: v.anonVma,
        anonName: v.anonName, prev: v, next, middle: null, caller: "mremap",
      });
      if (!merged) fail("ENOMEM", "mremap", "vma_merge_extend() could not expand the VMA");
      return old;
    }
  }
  if (!(flags & MREMAP_MAYMOVE)) fail("ENOMEM", "mremap", `cannot grow [${hexAddr(v.start)}-${hexAddr(v.end)}) in place and MREMAP_MAYMOVE was not given`);
  const dest = getUnmappedArea(mm, 0, newLen, v.flags & (VM_MAYSHARE | VM_SHARED) ? MAP_SHARED : 0, "mremap");
  return moveVma(mm, v, old, oldLen, newLen, dest, flags);
}

void MAP_FIXED;
