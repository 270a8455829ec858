/**
 * mprotect() (mm/mprotect.c do_mprotect_pkey(), mprotect_fixup()): per VMA piece, new access
 * bits, VM_ACCOUNT bookkeeping, then vma_modify_flags() — which merges or splits.
 * Simplification: protection keys are not modelled (pkey bits stay 0).
 * @module
 */
import { fail, KernelError } from "./errno.ts";
import { vmEnoughMemory } from "./overcommit.ts";
import { VM_ACCESS_FLAGS_LO, VM_ACCOUNT, VM_ACCOUNT_LO, VM_GROWSDOWN_LO, VM_HUGETLB, VM_LOCKED, VM_LOCKED_LO,
  VM_MAYWRITE_LO, VM_NORESERVE, VM_SEALED_HI, VM_SHARED, VM_WRITE, VM_WRITE_LO, lo32 } from "./flags.ts";
import { populateVmaPageRange } from "./fault.ts";
import type { Mm } from "./mm.ts";
import { calcVmProtBitsLo } from "./mmap.ts";
import { pageAlign } from "./munmap.ts";
import { vmaModify32 } from "./split.ts";
import type { Vma } from "./vma.ts";
import { hexAddr } from "./trace.ts";
import { isAnonymousVma } from "./anon.ts";
import { PAGE_SIZE, PROT_EXEC, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ, PROT_WRITE } from "./uapi.ts";

/** mprotect_fixup(): a private VMA without these becomes charged (VM_ACCOUNT) when made writable. */
const LOCKED_TEST_LO = lo32(VM_WRITE | VM_SHARED | VM_LOCKED);

const ALREADY_CHARGED_OR_EXEMPT_LO = lo32(VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE);

/**
 * mprotect_fixup(): change one piece [start, end) of `v` to the flags (newLo, newHi) (int32
 * halves; every bit mprotect changes is in the low word). Returns the VMA now holding it.
 */
function mprotectFixup(mm: Mm, v: Vma, start: number, end: number, newLo: number, newHi: number): Vma {
  const oldLo = v.flagsLo;
  const oldHi = v.flagsHi;
  if ((oldHi & VM_SEALED_HI) !== 0) fail("EPERM", "mprotect",
    `[${hexAddr(v.start)}-${hexAddr(v.end)}) is sealed (mseal())`);
  if (newLo === oldLo && newHi === oldHi) {
    mm.kernel.tracer.on && mm.kernel.tracer.event("info", "mprotect_fixup",
      `[${hexAddr(start)}-${hexAddr(end)}) already has these flags: nothing to do, no merge attempt`, start, end);
    return v;
  }
  if ((newLo & VM_WRITE_LO) !== 0) {
    // Private memory that becomes writable is charged (security_vm_enough_memory_mm()): VM_ACCOUNT.
    if ((oldLo & ALREADY_CHARGED_OR_EXEMPT_LO) === 0) {
      vmEnoughMemory(mm, (end - start) / PAGE_SIZE, "mprotect", `making [${hexAddr(start)}-${hexAddr(end)}) writable`);
      newLo |= VM_ACCOUNT_LO;
    }
  } else if (mm.kernel.profile.mprotectUnaccountUnfaulted && (oldLo & VM_ACCOUNT_LO) !== 0 &&
    isAnonymousVma(v) && !v.anonVma) {
    // 6.7+: an unfaulted anonymous VMA made read-only is no longer charged.
    newLo &= ~VM_ACCOUNT_LO;
  }
  const done = vmaModify32(mm, v, start, end, newLo, newHi, v.anonName, "mprotect", "mprotect");
  // mprotect_fixup(): a private VM_LOCKED VMA becoming writable is faulted in "to trigger COW"
  // (populate_vma_page_range(), its errors ignored).
  if ((oldLo & LOCKED_TEST_LO) === VM_LOCKED_LO && (newLo & VM_WRITE_LO) !== 0) {
    try {
      populateVmaPageRange(mm, done, start, end, "mprotect");
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
  }
  return done;
}

/**
 * do_mprotect_pkey() without a pkey (mm/mprotect.c, 6.18.2; PROT_GROWSDOWN/PROT_GROWSUP as since
 * 2.6, so every modelled release).
 */
export function doMprotect(mm: Mm, start: number, len: number, prot: number): void {
  const grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows === (PROT_GROWSDOWN | PROT_GROWSUP)) fail("EINVAL", "mprotect", "PROT_GROWSDOWN and PROT_GROWSUP together");
  if (start % PAGE_SIZE) fail("EINVAL", "mprotect", `addr ${hexAddr(start)} is not page aligned`);
  if (len === 0) return;
  const end = start + pageAlign(len);
  if (end <= start || end > 2 ** 64) fail("ENOMEM", "mprotect",
    `[${hexAddr(start)}, +${hexAddr(len)}) wraps around the address space`);
  // arch_validate_prot() on x86: only READ, WRITE, EXEC (and PROT_SEM).
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | 0x8)) fail("EINVAL", "mprotect",
    `unknown bits in prot ${hexAddr(prot)}`);
  let v = mm.tree.findVma(start);
  if (!v || v.start >= end) fail("ENOMEM", "mprotect", `no VMA maps [${hexAddr(start)}-${hexAddr(end)})`);
  if (grows & PROT_GROWSDOWN) {
    // PROT_GROWSDOWN: the change extends down to the start of the stack-like VMA (which may lie above start).
    start = v.start;
    if (!(v.flagsLo & VM_GROWSDOWN_LO)) fail("EINVAL", "mprotect",
      `PROT_GROWSDOWN on [${hexAddr(v.start)}-${hexAddr(v.end)}), which is not VM_GROWSDOWN`);
  } else {
    if (v.start > start) fail("ENOMEM", "mprotect",
      `${hexAddr(start)} is not mapped (the first VMA after it starts at ${hexAddr(v.start)})`);
    // PROT_GROWSUP would extend up to vm_end, but x86 has no VM_GROWSUP (VM_NONE): always EINVAL.
    if (grows & PROT_GROWSUP) fail("EINVAL", "mprotect",
      `PROT_GROWSUP on [${hexAddr(v.start)}-${hexAddr(v.end)}): x86-64 has no VM_GROWSUP VMAs`);
  }
  let tmp = v.start;
  let nstart = start;
  while (v && v.start < end) {
    if (v.start !== tmp) throw new KernelError("ENOMEM", "mprotect",
      `hole at [${hexAddr(tmp)}-${hexAddr(v.start)}): the VMAs before it were changed, the rest were not`);
    const newLo = calcVmProtBitsLo(prot) | (v.flagsLo & ~VM_ACCESS_FLAGS_LO);
    // VM_MAY* sit 4 bits above VM_*: every access asked for must be allowed.
    if ((newLo & ~(newLo >> 4) & VM_ACCESS_FLAGS_LO) !== 0) {
      const denied = prot & PROT_WRITE && !(v.flagsLo & VM_MAYWRITE_LO)
        ? "PROT_WRITE (no VM_MAYWRITE: a read-only or write-sealed file mapped shared)"
        : "this access (VM_MAY* bits forbid it)";
      fail("EACCES", "mprotect", `[${hexAddr(v.start)}-${hexAddr(v.end)}) may not get ${denied}`);
    }
    const pieceEnd = Math.min(v.end, end);
    const done = mprotectFixup(mm, v, nstart, pieceEnd, newLo, v.flagsHi);
    // vma_iter_end(): continue after the VMA that now holds the piece (it may have merged with next).
    tmp = done.end;
    nstart = tmp;
    if (nstart >= end) return;
    v = mm.tree.findVma(nstart);
  }
  if (tmp < end) fail("ENOMEM", "mprotect",
    `[${hexAddr(tmp)}-${hexAddr(end)}) is not mapped: the part before it was changed`);
}
