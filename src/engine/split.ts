/**
 * Splitting, and the "merge, else split" pattern of every attribute change:
 * split_vma()/__split_vma() and vma_modify() (mm/vma.c, 6.7+; open-coded in the callers before,
 * with the same outcome).
 * @module
 */
import { fail } from "./errno.ts";
import { hi32, lo32, VM_STICKY_LO, type VmFlags } from "./flags.ts";
import type { Mm } from "./mm.ts";
import { pages, type Vma } from "./vma.ts";
import { vmaMergeExistingRange } from "./merge.ts";
import { vmgVmaState } from "./vma_merge_struct.ts";
import { hexAddr } from "./trace.ts";

/**
 * __split_vma(): cut `v` at `addr`. With newBelow the new VMA is [v.start, addr) and `v` keeps
 * the top; otherwise the new VMA is [addr, v.end). split_vma() (checkLimit) first refuses with
 * ENOMEM when map_count >= max_map_count; munmap's edge splits do not check.
 */
export function splitVma(mm: Mm, v: Vma, addr: number, newBelow: boolean, checkLimit: boolean, syscall: string): Vma {
  if (checkLimit && mm.map_count >= mm.kernel.maxMapCount) {
    fail("ENOMEM", syscall, `splitting [${hexAddr(v.start)}-${hexAddr(v.end)}) at ${hexAddr(addr)} ` +
      `would exceed vm.max_map_count (${mm.kernel.maxMapCount}): ` +
      `split_vma() refuses when map_count (${mm.map_count}) >= max_map_count`);
  }
  // hugetlb_vm_op_split() (vm_ops->may_split): a hugetlb VMA splits only at a huge page boundary.
  const huge = v.file?.inode.hugePageSize;
  if (huge && addr % huge) fail("EINVAL", syscall,
    `the hugetlb VMA [${hexAddr(v.start)}-${hexAddr(v.end)}) cannot be split at ${hexAddr(addr)}, inside a huge page`);
  const off = pages(addr - v.start);
  let created: Vma;
  if (newBelow) {
    created = mm.newVma32(v.start, addr, v.flagsLo, v.flagsHi, v.pgoff, v.file);
    copyAttrs(created, v);
    mm.setRange(v, addr, v.end, v.pgoff + off);
  } else {
    created = mm.newVma32(addr, v.end, v.flagsLo, v.flagsHi, v.pgoff + off, v.file);
    copyAttrs(created, v);
    mm.setRange(v, v.start, addr, v.pgoff);
  }
  mm.insert(created, newBelow ? v.prev : v);
  mm.kernel.tracer.on && mm.kernel.tracer.event("split", checkLimit ? "split_vma" : "__split_vma",
    `split [${hexAddr(Math.min(v.start, created.start))}-${hexAddr(Math.max(v.end, created.end))}) ` +
    `at ${hexAddr(addr)}`, addr, addr);
  return created;
}

/** What a split or a copy duplicates: anon_vma chain (so fork status), name, ops. */
export function copyAttrs(dst: Vma, src: Vma): void {
  dst.anonVma = src.anonVma;
  dst.forkChild = src.forkChild;
  dst.anonName = src.anonName;
  dst.special = src.special;
  dst.hasCloseHook = src.hasCloseHook;
}

/**
 * vma_modify(): give [start, end) ⊆ v the new flags (and anon name): try
 * vma_merge_existing_range(), else split at start and end; the caller-side vm_flags_reset()
 * then writes the flags onto the returned VMA. Errors from split_vma() propagate (ENOMEM).
 */
export function vmaModify(mm: Mm, v: Vma, start: number, end: number, flags: VmFlags,
  anonName: string | null, caller: string, syscall: string): Vma {
  return vmaModify32(mm, v, start, end, lo32(flags), hi32(flags), anonName, caller, syscall);
}

/** vmaModify() with the new flags as the two words of Vma.flagsLo/flagsHi (mprotect, and vmaModify() itself). */
export function vmaModify32(mm: Mm, v: Vma, start: number, end: number, flagsLo: number, flagsHi: number,
  anonName: string | null, caller: string, syscall: string): Vma {
  // vma_modify_flags() / vma_modify_name(): prev is v itself when the range starts inside it.
  const vmg = vmgVmaState(mm, start > v.start ? v : v.prev, v, start, end, caller);
  vmg.flagsLo = flagsLo;
  vmg.flagsHi = flagsHi;
  vmg.anonName = anonName;
  const merged = vmaMergeExistingRange(vmg);
  let target = merged;
  if (!target) {
    if (v.start < start) splitVma(mm, v, start, true, true, syscall);
    if (v.end > end) splitVma(mm, v, end, false, true, syscall);
    target = v;
  }
  // 6.19+ (6.18.37+): vma_modify_flags() hands the merged VMA's sticky flags back to the caller, whose
  // vm_flags_reset() keeps them (9119d6c2095b); before, the merged VMA took exactly these flags.
  if (merged && mm.kernel.profile.stickyFlags) flagsLo |= merged.flagsLo & VM_STICKY_LO;
  target.flagsLo = flagsLo;
  target.flagsHi = flagsHi;
  target.anonName = anonName;
  return target;
}
