/**
 * Choosing an address (mm/mmap.c __get_unmapped_area(), arch/x86/kernel/sys_x86_64.c
 * arch_get_unmapped_area_topdown(), mm/vma.c unmapped_area_topdown()).
 * Simplification: address-space randomisation is off (as under `setarch -R`), and the THP
 * alignment of large anonymous mappings (6.7+) is not modelled.
 * @module
 */
import { errnoName, fail } from "./errno.ts";
import type { File } from "./file.ts";
import { vmStartGap, type Mm } from "./mm.ts";
import { hexAddr } from "./trace.ts";
import { MAP_FIXED, PAGE_SIZE, TASK_SIZE } from "./uapi.ts";

/** unmapped_area_topdown(): the highest gap of `len` bytes in [low, high), or -1. */
export function unmappedAreaTopdown(mm: Mm, len: number, low: number, high: number): number {
  const tree = mm.tree;
  // The gap that straddles `high`, clamped to it.
  const below = tree.floor(high - 1);
  const above = below ? below.next : tree.first();
  if (!below || below.end < high) {
    const gapLow = Math.max(below ? below.end : 0, low);
    const gapHigh = Math.min(above ? vmStartGap(above) : high, high);
    if (gapHigh - gapLow >= len) return gapHigh - len;
  }
  // Gaps wholly below: the rightmost VMA at or below `below` with a gap of len before it.
  if (!below) return -1;
  const v = tree.rightmostGap(below.start, len);
  if (!v) return -1;
  const gapLow = Math.max(v.prev ? v.prev.end : 0, low);
  const gapHigh = vmStartGap(v);
  return gapHigh - gapLow >= len ? gapHigh - len : -1;
}

/**
 * __get_unmapped_area(): MAP_FIXED takes addr as given; a hint is used if the range is free;
 * else top-down from mmap_base. Then the generic range and alignment checks.
 */
export function getUnmappedArea(mm: Mm, addr: number, len: number, flags: number, syscall: string,
  file: File | null = null): number {
  if (len > TASK_SIZE) fail("ENOMEM", syscall,
    `length ${hexAddr(len)} is larger than the whole address space (TASK_SIZE ${hexAddr(TASK_SIZE)})`);
  // hugetlb_get_unmapped_area() (fs/hugetlbfs/inode.c): whole huge pages, an aligned MAP_FIXED
  // address, the hint rounded up, and a search aligned to the huge page size.
  const align = file?.inode.hugePageSize ?? PAGE_SIZE;
  if (align > PAGE_SIZE && flags & MAP_FIXED && addr % align) fail("EINVAL", syscall,
    `MAP_FIXED address ${hexAddr(addr)} of a hugetlb mapping is not huge-page aligned`);
  let out: number;
  if (flags & MAP_FIXED) out = addr;
  else {
    out = -1;
    if (addr) {
      const hint = align > PAGE_SIZE ? Math.ceil(addr / align) * align : addr - (addr % PAGE_SIZE);
      // mmap_address_hint_valid() + the free-range check of arch_get_unmapped_area_topdown().
      if (hint <= TASK_SIZE - len) {
        const v = mm.tree.findVma(hint);
        const prev = v ? v.prev : mm.tree.last();
        if ((!v || hint + len <= vmStartGap(v)) && (!prev || hint >= prev.end)) out = hint;
      }
    }
    if (out < 0) {
      out = unmappedAreaTopdown(mm, len + align - PAGE_SIZE, PAGE_SIZE, mm.mmap_base);
      if (out >= 0) out = Math.floor((out + align - PAGE_SIZE) / align) * align;
    }
    if (out < 0) fail("ENOMEM", syscall,
      `no free gap of ${hexAddr(len)} bytes below mmap_base ${hexAddr(mm.mmap_base)} (vm_unmapped_area())`);
  }
  // IS_ERR_VALUE(): a MAP_FIXED address in the last page, -4095..-1 (kept negative by the caller),
  // comes back from arch_get_unmapped_area_topdown() as that errno: -1 is EPERM.
  if (out < 0) {
    const code = -out;
    fail(errnoName(code) ?? "EINVAL", syscall,
      `MAP_FIXED address -${code} is an error value (IS_ERR_VALUE()): ` +
      `arch_get_unmapped_area_topdown() hands MAP_FIXED addresses back unchecked ` +
      `and __get_unmapped_area() returns it as the error -${code}` +
      `${errnoName(code) ? "" : " (an errno the engine does not name; reported as EINVAL)"}`);
  }
  if (out > TASK_SIZE - len) fail("ENOMEM", syscall,
    `[${hexAddr(out)}, +${hexAddr(len)}) ends beyond TASK_SIZE (${hexAddr(TASK_SIZE)})`);
  if (out % PAGE_SIZE) fail("EINVAL", syscall,
    `addr ${hexAddr(out)} is not page aligned (MAP_FIXED needs an aligned address)`);
  return out;
}
