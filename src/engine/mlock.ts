/**
 * mlock(), mlock2() and munlock() (mm/mlock.c do_mlock(), apply_vma_lock_flags(), mlock_fixup(),
 * read in gfunkmonk/linux-6.18.2; mlock2() and VM_LOCKONFAULT are 4.4, so every modelled release):
 * VM_LOCKED ("lo") and VM_LOCKONFAULT ("lf") are set or cleared per VMA piece by
 * vma_modify_flags(), which splits and merges as mprotect() does; mlock() then faults the range
 * in (__mm_populate()), mlock2(MLOCK_ONFAULT) does not.
 * mlockall() and munlockall() lock or unlock every VMA and set mm->def_flags for later mappings.
 * Simplification: processes run as root, with CAP_IPC_LOCK, so can_do_mlock() and RLIMIT_MEMLOCK
 * never refuse and mm->locked_vm is not kept.
 * @module
 */
import { fail, KernelError } from "./errno.ts";
import { VM_DROPPABLE_HI, VM_HUGETLB, VM_IO, VM_LOCKED_LO, VM_LOCKED_MASK_LO, VM_PFNMAP, VM_SPECIAL,
  lo32 } from "./flags.ts";
import { populateVmaPageRange } from "./fault.ts";
import type { Mm } from "./mm.ts";
import { offsetInPage, pageAlign } from "./munmap.ts";
import { vmaModify32 } from "./split.ts";
import { hexAddr } from "./trace.ts";
import type { Vma } from "./vma.ts";
import { MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT, TASK_SIZE } from "./uapi.ts";

/** mlock_fixup(): VMAs that never get VM_LOCKED (and are not counted): VM_SPECIAL and hugetlb. */
const NEVER_LOCKED_LO = lo32(VM_SPECIAL | VM_HUGETLB);
const IO_PFNMAP_LO = lo32(VM_IO | VM_PFNMAP);

/**
 * mlock_fixup(): [start, end) of v gets (v's flags minus VM_LOCKED_MASK) | `lockLo`; VM_SPECIAL,
 * hugetlb and droppable VMAs are left alone (the gate VMA, DAX and secretmem are not modelled).
 * Returns the VMA now holding the piece.
 */
function mlockFixup(mm: Mm, v: Vma, start: number, end: number, lockLo: number, syscall: string): Vma {
  const newLo = (v.flagsLo & ~VM_LOCKED_MASK_LO) | lockLo;
  if (newLo === v.flagsLo || (v.flagsLo & NEVER_LOCKED_LO) !== 0 || (v.flagsHi & VM_DROPPABLE_HI) !== 0) {
    const t = mm.kernel.tracer;
    if (newLo !== v.flagsLo) t.on && t.event("info", "mlock_fixup",
      `[${hexAddr(v.start)}-${hexAddr(v.end)}) is VM_SPECIAL, hugetlb or droppable: never locked`, v.start, v.end);
    return v;
  }
  return vmaModify32(mm, v, start, end, newLo, v.flagsHi, v.anonName, "mlock_fixup", syscall);
}

/** apply_vma_lock_flags(): set the lock bits on every VMA of [start, start + len), which must be mapped. */
function applyVmaLockFlags(mm: Mm, start: number, len: number, lockLo: number, syscall: string): void {
  const end = start + len;
  if (end >= 2 ** 64) fail("EINVAL", syscall, `[${hexAddr(start)}, +${hexAddr(len)}) wraps around the address space`);
  if (len === 0) return;
  // vma_iter_load(): the VMA containing start, or ENOMEM before anything changes.
  let v = mm.tree.lookup(start);
  if (!v) fail("ENOMEM", syscall, `${hexAddr(start)} is not mapped`);
  let tmp = v.start;
  let nstart = start;
  while (v && v.start < end) {
    if (v.start !== tmp) throw new KernelError("ENOMEM", syscall,
      `hole at [${hexAddr(tmp)}-${hexAddr(v.start)}): the VMAs before it were changed, the rest were not`);
    const done = mlockFixup(mm, v, nstart, Math.min(v.end, end), lockLo, syscall);
    // vma_iter_end(): continue after the VMA now holding the piece (it may have merged with next).
    tmp = done.end;
    nstart = tmp;
    if (nstart >= end) return;
    v = mm.tree.findVma(nstart);
  }
  if (tmp < end) fail("ENOMEM", syscall,
    `[${hexAddr(tmp)}-${hexAddr(end)}) is not mapped: the part before it was changed`);
}

/**
 * __mm_populate(start, len, ignoreErrors): fault in every VMA of the range but VM_IO | VM_PFNMAP
 * ones; mlock() stops at the first error, mm_populate() (mmap, mlockall) goes on to the next VMA.
 */
function populateRange(mm: Mm, start: number, end: number, ignoreErrors: boolean, syscall: string): void {
  for (let v = mm.tree.findVma(start); v && v.start < end; v = v.next) {
    if (v.flagsLo & IO_PFNMAP_LO) continue;
    try {
      populateVmaPageRange(mm, v, Math.max(start, v.start), Math.min(end, v.end), syscall);
    } catch (e) {
      if (!ignoreErrors || !(e instanceof KernelError)) throw e;
    }
  }
}

/** mm_populate(): __mm_populate(start, len, 1), for mlockall() and a growing locked mremap(). */
export function mmPopulate(mm: Mm, start: number, end: number, syscall: string): void {
  populateRange(mm, start, end, true, syscall);
}

/** do_mlock()'s __mm_populate(start, len, 0): EFAULT becomes ENOMEM, ENOMEM EAGAIN (__mlock_posix_error_return()). */
function mlockPopulate(mm: Mm, start: number, end: number, syscall: string): void {
  try {
    populateRange(mm, start, end, false, syscall);
  } catch (e) {
    if (!(e instanceof KernelError) || (e.errno !== "EFAULT" && e.errno !== "ENOMEM")) throw e;
    throw new KernelError(e.errno === "EFAULT" ? "ENOMEM" : "EAGAIN", syscall,
      `${e.reason} (the lock bits stay set; __mlock_posix_error_return() reports ${e.errno} ` +
      `as ${e.errno === "EFAULT" ? "ENOMEM" : "EAGAIN"})`);
  }
}

/** The range mlock() and munlock() work on: start rounded down, len up to whole pages (mod 2^64, as in C). */
function lockRange(start: number, len: number): [number, number] {
  let l = pageAlign(len + offsetInPage(start));
  if (l >= 2 ** 64) l -= 2 ** 64;
  return [start - offsetInPage(start), l];
}

/** do_mlock(): VM_LOCKED, plus VM_LOCKONFAULT for mlock2(MLOCK_ONFAULT). */
export function doMlock(mm: Mm, startIn: number, lenIn: number, onFault: boolean, syscall: string): void {
  const [start, len] = lockRange(startIn, lenIn);
  applyVmaLockFlags(mm, start, len, onFault ? VM_LOCKED_MASK_LO : VM_LOCKED_LO, syscall);
  mlockPopulate(mm, start, start + len, syscall);
}

/** munlock(): apply_vma_lock_flags(start, len, 0); nothing is faulted. */
export function doMunlock(mm: Mm, startIn: number, lenIn: number): void {
  const [start, len] = lockRange(startIn, lenIn);
  applyVmaLockFlags(mm, start, len, 0, "munlock");
}

/**
 * apply_mlockall_flags(): mm->def_flags gets VM_LOCKED (| VM_LOCKONFAULT) for MCL_FUTURE, or loses
 * them; with MCL_CURRENT every VMA is locked, otherwise (munlockall(): flags 0) every VMA unlocked.
 */
function applyMlockallFlags(mm: Mm, flags: number, syscall: string): void {
  const onFault = (flags & MCL_ONFAULT) !== 0;
  mm.defFlagsLo &= ~VM_LOCKED_MASK_LO;
  if (flags & MCL_FUTURE) {
    mm.defFlagsLo |= onFault ? VM_LOCKED_MASK_LO : VM_LOCKED_LO;
    if (!(flags & MCL_CURRENT)) return;
  }
  const lockLo = flags & MCL_CURRENT ? (onFault ? VM_LOCKED_MASK_LO : VM_LOCKED_LO) : 0;
  for (let v = mm.tree.first(); v; ) {
    const done = mlockFixup(mm, v, v.start, v.end, lockLo, syscall); // errors would be ignored; none occur here
    v = done.next;
  }
}

/** mlockall(): MCL_CURRENT, MCL_FUTURE, optionally MCL_ONFAULT; then mm_populate(0, TASK_SIZE) for MCL_CURRENT. */
export function doMlockall(mm: Mm, flags: number): void {
  if (!flags || flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || flags === MCL_ONFAULT) fail("EINVAL",
    "mlockall", `flags ${hexAddr(flags)}: MCL_CURRENT and/or MCL_FUTURE, optionally with MCL_ONFAULT`);
  applyMlockallFlags(mm, flags, "mlockall");
  if (flags & MCL_CURRENT) mmPopulate(mm, 0, TASK_SIZE, "mlockall");
}

/** munlockall(): apply_mlockall_flags(0). */
export function doMunlockall(mm: Mm): void {
  applyMlockallFlags(mm, 0, "munlockall");
}
