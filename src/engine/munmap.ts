/**
 * munmap() (mm/vma.c do_vmi_munmap() → do_vmi_align_munmap() → vms_gather_munmap_vmas(), 6.12+;
 * do_vmi_munmap()/do_mas_munmap() in mm/mmap.c before, same rules).
 * @module
 */
import { fail } from "./errno.ts";
import { VM_SEALED_HI } from "./flags.ts";
import { clearGuards } from "./guard_markers.ts";
import type { Mm } from "./mm.ts";
import { splitVma } from "./split.ts";
import type { Vma } from "./vma.ts";
import { hexAddr } from "./trace.ts";
import { PAGE_SIZE, TASK_SIZE } from "./uapi.ts";

export const pageAlign = (n: number): number => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
export const offsetInPage = (n: number): number => n % PAGE_SIZE;

/** Unmap every PTE in [start, end) (zap_page_range / unmap_vmas()). */
export function zapRange(mm: Mm, start: number, end: number): void {
  if (mm.ptes.size === 0) return;
  const first = start / PAGE_SIZE;
  const last = end / PAGE_SIZE;
  const alloc = mm.kernel.pages;
  if (last - first > mm.ptes.size) {
    for (const vpn of [...mm.ptes.keys()]) if (vpn >= first && vpn < last) alloc.unmap(mm.ptes, vpn);
  } else for (let vpn = first; vpn < last; vpn++) alloc.unmap(mm.ptes, vpn);
  mm.kernel.ksmHooks.unmapped(mm, start, end);
}

/**
 * Unmap [start, end) of page-aligned addresses: split the VMAs at the edges, detach those
 * inside, free their pages. The hole-punch limit check happens before anything changes.
 * `v` is find_vma(start) when the caller already has it (mmap_region() does).
 * Returns the VMA below the hole, or null (vms->prev, which __mmap_region() merges with).
 */
export function doVmiAlignMunmap(mm: Mm, start: number, end: number, syscall: string,
  v: Vma | null = mm.tree.findVma(start)): Vma | null {
  if (!v || v.start >= end) return v ? v.prev : mm.tree.last();
  const t = mm.kernel.tracer;
  // mseal (6.10+): a sealed VMA cannot be unmapped.
  for (let w: Vma | null = v; w && w.start < end; w = w.next) {
    if ((w.flagsHi & VM_SEALED_HI) !== 0) fail("EPERM", syscall,
      `[${hexAddr(w.start)}-${hexAddr(w.end)}) is sealed (mseal())`);
  }
  let prev = v.prev;
  if (v.start < start) {
    // vms_gather_munmap_vmas(): punching a hole in one VMA needs room for one more VMA.
    if (end < v.end && mm.map_count >= mm.kernel.maxMapCount) {
      fail("ENOMEM", syscall, `unmapping [${hexAddr(start)}-${hexAddr(end)}) ` +
        `would split [${hexAddr(v.start)}-${hexAddr(v.end)}) in two, ` +
        `and map_count (${mm.map_count}) has reached vm.max_map_count (${mm.kernel.maxMapCount})`);
    }
    prev = splitVma(mm, v, start, true, false, syscall);
  }
  // The split at the end comes first, as in vms_gather_munmap_vmas(); then the detach.
  for (let w: Vma | null = v; w && w.start < end; w = w.next) {
    if (w.end > end) splitVma(mm, w, end, false, false, syscall);
  }
  let w: Vma | null = v;
  while (w && w.start < end) {
    const next: Vma | null = w.next;
    mm.remove(w);
    t.on && t.event("remove", "vms_complete_munmap_vmas",
      `unmapped [${hexAddr(w.start)}-${hexAddr(w.end)})`, w.start, w.end);
    w = next;
  }
  zapRange(mm, start, end);
  clearGuards(mm, start, end); // unmapping, unlike MADV_DONTNEED, removes guard markers
  return prev;
}

/** munmap(addr, len): EINVAL for unaligned or zero-length or out-of-range requests. */
export function doMunmap(mm: Mm, addr: number, len: number): void {
  if (offsetInPage(addr) !== 0) fail("EINVAL", "munmap", `addr ${hexAddr(addr)} is not page aligned`);
  if (addr > TASK_SIZE || len > TASK_SIZE - addr) fail("EINVAL", "munmap",
    `[${hexAddr(addr)}, +${hexAddr(len)}) reaches beyond TASK_SIZE (${hexAddr(TASK_SIZE)})`);
  const end = addr + pageAlign(len);
  if (end === addr) fail("EINVAL", "munmap", `length is 0`);
  doVmiAlignMunmap(mm, addr, end, "munmap");
}
