/**
 * KSM's side of VMA management (mm/ksm.c): which VMAs may be scanned, how VM_MERGEABLE is
 * set on new and existing VMAs, and unmerging. ksmd's scanning lives in ksmd.ts.
 * @module
 */
import {
  VM_SHARED, VM_MAYSHARE, VM_SPECIAL, VM_HUGETLB, VM_MERGEABLE, VM_DROPPABLE_HI, VM_MERGEABLE_LO,
  clearFlags, hi32, join32, lo32, type VmFlags,
} from "./flags.ts";
import type { File } from "./file.ts";
import type { Mm } from "./mm.ts";
import type { Vma } from "./vma.ts";
import { hexAddr } from "./trace.ts";
import { PAGE_SIZE } from "./uapi.ts";

/**
 * ksm_compatible(file, vm_flags) (6.17+; vma_ksm_compatible() 6.4-6.16, inline in ksm_madvise()
 * before): shared, VM_SPECIAL, hugetlb and (6.11+) droppable VMAs are never scanned. DAX files
 * are not modelled (no file here is DAX).
 */
export function ksmCompatible(mm: Mm, file: File | null, flags: VmFlags): boolean {
  return ksmCompatible32(mm, file, lo32(flags), hi32(flags));
}

const KSM_BAD_LO = lo32(VM_SHARED | VM_MAYSHARE | VM_SPECIAL | VM_HUGETLB);

/** ksmCompatible() on the two flag words (the mmap path). */
export function ksmCompatible32(mm: Mm, _file: File | null, flagsLo: number, flagsHi: number): boolean {
  if ((flagsLo & KSM_BAD_LO) !== 0) return false;
  return !mm.kernel.profile.droppable || (flagsHi & VM_DROPPABLE_HI) === 0;
}

/**
 * ksmVmaFlags() on int32 halves: the new low word (VM_MERGEABLE is bit 31; the high word never
 * changes). With 590c03ca6a3f it also re-registers an mm whose slot ksmd dropped (__ksm_enter()).
 */
export function ksmVmaFlagsLo(mm: Mm, file: File | null, flagsLo: number, flagsHi: number): number {
  // __ksm_should_add_vma(): not already VM_MERGEABLE, and ksm_compatible().
  if (!mm.mergeAny || (flagsLo & VM_MERGEABLE_LO) !== 0 || !ksmCompatible32(mm, file, flagsLo, flagsHi)) return flagsLo;
  if (!mm.ksmRegistered && mm.kernel.profile.ksmdKeepsMergeAny) ksmEnter(mm);
  return flagsLo | VM_MERGEABLE_LO;
}

/** __ksm_enter(): put the mm on ksmd's list (MMF_VM_MERGEABLE). */
export function ksmEnter(mm: Mm): void {
  if (mm.ksmRegistered) return;
  mm.ksmRegistered = true;
  mm.kernel.ksmHooks.enter(mm);
}

/** __ksm_exit(): the mm leaves ksmd's list (exit, exec). */
export function ksmExit(mm: Mm): void {
  if (!mm.ksmRegistered) return;
  mm.ksmRegistered = false;
  mm.kernel.ksmHooks.exit(mm);
}

/**
 * ksm_vma_flags(mm, file, vm_flags) (cf7e7a3503df, 6.17+): the proposed flags plus VM_MERGEABLE
 * when the mm has MMF_VM_MERGE_ANY and __ksm_should_add_vma() holds. Runs before the merge attempt.
 */
export function ksmVmaFlags(mm: Mm, file: File | null, flags: VmFlags): VmFlags {
  return join32(ksmVmaFlagsLo(mm, file, lo32(flags), hi32(flags)), hi32(flags));
}

/**
 * ksm_add_vma(vma) (6.4-6.16): after a new VMA was created by mmap or brk, mark it when the
 * process is merge-any. It runs after the merge attempt: the root of the regression.
 */
export function ksmAddVma(mm: Mm, vma: Vma): void {
  if (!mm.mergeAny || (vma.flagsLo & VM_MERGEABLE_LO) !== 0 ||
    !ksmCompatible32(mm, vma.file, vma.flagsLo, vma.flagsHi)) return;
  vma.flagsLo |= VM_MERGEABLE_LO;
  mm.kernel.tracer.on && mm.kernel.tracer.event("ksm", "ksm_add_vma",
    `set VM_MERGEABLE on the new VMA [${hexAddr(vma.start)}-${hexAddr(vma.end)}) ` +
    `after the merge attempt (MMF_VM_MERGE_ANY)`, vma.start, vma.end);
}

/** ksm_add_vmas(): prctl(PR_SET_MEMORY_MERGE, 1) marks every compatible VMA in place: no merge, no split. */
export function ksmAddVmas(mm: Mm): number {
  let n = 0;
  for (const v of mm.tree) {
    if (!(v.flags & VM_MERGEABLE) && ksmCompatible(mm, v.file, v.flags) && v.special === null) {
      v.flags |= VM_MERGEABLE;
      n++;
    }
  }
  return n;
}

/**
 * unmerge_ksm_pages() / break_ksm(): give every KSM page mapped in [start, end) back a private
 * copy (FAULT_FLAG_UNSHARE). Counters change only when ksmd next passes (kernel-ksm.md §4.4).
 * 6.19 drops unmerge_ksm_pages() for a range walk, break_ksm(vma, addr, end, lock_vma): the same
 * pages end up unshared, so no profile field; the name is kept for ≤6.18.
 */
export function unmergeKsmPages(mm: Mm, start: number, end: number): number {
  let broken = 0;
  const first = start / PAGE_SIZE;
  const last = end / PAGE_SIZE;
  const visit = (vpn: number) => {
    const page = mm.ptes.get(vpn);
    if (page && (page.ksm || (page.zero && page.ksmZero))) {
      mm.kernel.pages.cowBreak(mm, vpn, page);
      broken++;
    }
  };
  if (last - first > mm.ptes.size) {
    for (const vpn of [...mm.ptes.keys()]) if (vpn >= first && vpn < last) visit(vpn);
  } else for (let vpn = first; vpn < last; vpn++) visit(vpn);
  if (broken) mm.kernel.tracer.on && mm.kernel.tracer.event("ksm", "unmerge_ksm_pages",
    `broke ${broken} KSM page${broken === 1 ? "" : "s"} in [${hexAddr(start)}-${hexAddr(end)}) ` +
    `back to private copies`, start, end);
  mm.kernel.ksmHooks.unmerged(mm, start, end);
  return broken;
}

/** ksm_del_vmas(): prctl(PR_SET_MEMORY_MERGE, 0) unmerges and clears VM_MERGEABLE on every VMA, madvised ones too. */
export function ksmDelVmas(mm: Mm): void {
  for (const v of mm.tree) {
    if (!(v.flags & VM_MERGEABLE)) continue;
    if (v.anonVma) unmergeKsmPages(mm, v.start, v.end);
    v.flags = clearFlags(v.flags, VM_MERGEABLE);
  }
}
