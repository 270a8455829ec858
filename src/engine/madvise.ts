/**
 * madvise() (mm/madvise.c madvise_walk_vmas(), madvise_vma_behavior(), madvise_update_vma()) and
 * KSM's part of it (mm/ksm.c ksm_madvise()).
 * @module
 */
import { fail, KernelError } from "./errno.ts";
import {
  VM_DONTCOPY, VM_DONTDUMP, VM_LOCKED, VM_MAYWRITE, VM_PFNMAP, VM_DROPPABLE, VM_HUGEPAGE, VM_HUGETLB, VM_IO,
  VM_MERGEABLE, VM_NOHUGEPAGE, VM_READ, VM_WRITE,
  VM_RAND_READ, VM_SEQ_READ, VM_SEALED_HI, VM_SHARED, VM_SPECIAL, VM_WIPEONFORK, VM_WRITE_LO, clearFlags,
  type VmFlags,
} from "./flags.ts";
import { madviseGuardInstall, madviseGuardRemove } from "./guard.ts";
import type { Mm } from "./mm.ts";
import { ksmCompatible, ksmEnter, unmergeKsmPages } from "./ksm.ts";
import { pageAlign, zapRange } from "./munmap.ts";
import { vmaModify } from "./split.ts";
import { isAnonymousVma } from "./anon.ts";
import type { Vma } from "./vma.ts";
import { hexAddr } from "./trace.ts";
import {
  MADV_COLD, MADV_DODUMP, MADV_DOFORK, MADV_DONTDUMP, MADV_DONTFORK, MADV_DONTNEED, MADV_FREE,
  MADV_GUARD_INSTALL, MADV_GUARD_REMOVE, MADV_HUGEPAGE, MADV_KEEPONFORK, MADV_MERGEABLE, MADV_NAMES,
  MADV_NOHUGEPAGE, MADV_NORMAL, MADV_PAGEOUT, MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_RANDOM, MADV_REMOVE,
  MADV_SEQUENTIAL, MADV_UNMERGEABLE, MADV_WILLNEED, MADV_WIPEONFORK, PAGE_SIZE,
} from "./uapi.ts";
import { faultInPage } from "./fault.ts";

/** madvise_behavior_valid() on a kernel with CONFIG_KSM and THP, minus advice the engine does not model. */
const VALID = new Set([
  MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED, MADV_FREE, MADV_REMOVE,
  MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
  MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT,
  MADV_POPULATE_READ, MADV_POPULATE_WRITE,
]);

/** is_discard(): the advice that drops data, refused on sealed read-only anonymous memory. */
const DISCARD = new Set([MADV_FREE, MADV_DONTNEED, MADV_REMOVE, MADV_DONTFORK, MADV_WIPEONFORK, MADV_GUARD_INSTALL]);

/**
 * can_madvise_modify() (6.18.2 mm/madvise.c): a sealed VMA refuses discarding advice if it is
 * anonymous and not writable; file-backed ones are permitted. The earlier VMAs of the range
 * were already advised (the check is per VMA, in madvise_vma_behavior()).
 */
function canMadviseModify(v: Vma, advice: number): void {
  if ((v.flagsHi & VM_SEALED_HI) === 0 || !DISCARD.has(advice) || !isAnonymousVma(v)) return;
  if ((v.flagsLo & VM_WRITE_LO) !== 0) return;
  fail("EPERM", "madvise", `${MADV_NAMES[advice]} would discard the contents of the sealed read-only ` +
    `anonymous mapping [${hexAddr(v.start)}-${hexAddr(v.end)}) (can_madvise_modify())`);
}

/**
 * madvise_populate() (mm/madvise.c, 5.14+; read in 6.18.2) → faultin_page_range(): page by page
 * from start, without FOLL_FORCE. No VMA at an address is ENOMEM; a VMA the access is not allowed
 * on (VM_IO | VM_PFNMAP, no VM_WRITE for a write, no VM_READ for a read: check_vma_flags()) is
 * EINVAL (__get_user_pages() with FOLL_MADV_POPULATE); a SIGBUS is EFAULT. The pages before the
 * failing one stay populated.
 */
function madvisePopulate(mm: Mm, start: number, end: number, write: boolean): void {
  const name = write ? "MADV_POPULATE_WRITE" : "MADV_POPULATE_READ";
  for (let a = start; a < end; a += PAGE_SIZE) {
    const v = mm.tree.lookup(a);
    if (!v) fail("ENOMEM", "madvise", `${name}: no VMA maps ${hexAddr(a)} (the pages before it were populated)`);
    if (v.flags & (VM_IO | VM_PFNMAP) || !(v.flags & (write ? VM_WRITE : VM_READ))) fail("EINVAL", "madvise",
      `${name} on [${hexAddr(v.start)}-${hexAddr(v.end)}), which ${v.flags & (VM_IO | VM_PFNMAP)
        ? "is VM_IO | VM_PFNMAP" : `is not ${write ? "writable" : "readable"}`} (check_vma_flags())`);
    faultInPage(mm, v, a, write, "madvise");
  }
}

/**
 * ksm_madvise(): MADV_MERGEABLE sets VM_MERGEABLE on compatible VMAs (incompatible ones are
 * silently left alone); MADV_UNMERGEABLE breaks KSM pages and clears it. Before 6.18 the clear
 * used a 32-bit ~VM_MERGEABLE and dropped bits 32..63 too (f04aad36a07c).
 */
function ksmMadvise(mm: Mm, v: Vma, start: number, end: number, advice: number, flags: VmFlags): VmFlags {
  const t = mm.kernel.tracer;
  if (advice === MADV_MERGEABLE) {
    if (v.flags & VM_MERGEABLE) return flags;
    if (!ksmCompatible(mm, v.file, v.flags) || v.special) {
      t.on && t.event("ksm", "ksm_madvise",
        `[${hexAddr(v.start)}-${hexAddr(v.end)}) is not KSM-compatible ` +
        `(shared, VM_SPECIAL, hugetlb or droppable): advice silently ignored`, v.start, v.end);
      return flags;
    }
    ksmEnter(mm);
    return flags | VM_MERGEABLE;
  }
  if (!(flags & VM_MERGEABLE)) return flags;
  if (v.anonVma) unmergeKsmPages(mm, start, end);
  if (mm.kernel.profile.ksmMadviseDropsHighBits) {
    const dropped = flags & ~0xffffffffn;
    if (dropped) t.on && t.event("flags", "ksm_madvise",
      `*vm_flags &= ~VM_MERGEABLE with a 32-bit VM_MERGEABLE also cleared bits 32-63 ` +
      `(${hexAddr(Number(dropped >> 32n))} << 32): the bug fixed by f04aad36a07c in 6.18`);
    return flags & 0x7fffffffn;
  }
  return clearFlags(flags, VM_MERGEABLE);
}

/**
 * madvise_dontneed_free_valid_vma() (6.18.2): not VM_PFNMAP or VM_LOCKED; hugetlb only for
 * MADV_DONTNEED, from a huge-page-aligned start.
 */
function dontneedFreeValidVma(v: Vma, start: number, advice: number): void {
  const name = MADV_NAMES[advice];
  const at = `[${hexAddr(v.start)}-${hexAddr(v.end)})`;
  if (!(v.flags & VM_HUGETLB)) {
    if (v.flags & (VM_LOCKED | VM_PFNMAP)) fail("EINVAL", "madvise",
      `${name} on a VM_LOCKED or VM_PFNMAP mapping ${at}`);
    return;
  }
  if (advice !== MADV_DONTNEED) fail("EINVAL", "madvise",
    `${name} on a hugetlb mapping ${at}: only MADV_DONTNEED is allowed there`);
  if (start % v.file!.inode.hugePageSize!) fail("EINVAL", "madvise",
    `MADV_DONTNEED on the hugetlb mapping ${at} from ${hexAddr(start)}, not a huge page boundary`);
}

/**
 * madvise_remove() (6.18.2): punch a hole in the file under a shared writable mapping. Locked or
 * fileless VMAs are EINVAL; a private (or never-writable) file mapping is EACCES
 * (!vma_is_shared_maywrite()). Dropping the file's pages is not modelled.
 */
function madviseRemove(v: Vma): void {
  const at = `[${hexAddr(v.start)}-${hexAddr(v.end)})`;
  if (v.flags & VM_LOCKED) fail("EINVAL", "madvise", `MADV_REMOVE on the locked mapping ${at}`);
  if (!v.file) fail("EINVAL", "madvise", `MADV_REMOVE on ${at}, which has no file`);
  if ((v.flags & (VM_SHARED | VM_MAYWRITE)) !== (VM_SHARED | VM_MAYWRITE)) {
    fail("EACCES", "madvise",
      `MADV_REMOVE on ${at}: ${v.file.inode.path} is not mapped shared and writable (vma_is_shared_maywrite())`);
  }
}

/** madvise_vma_behavior() for one piece; returns the VMA holding it afterwards. */
function madviseVmaBehavior(mm: Mm, v: Vma, start: number, end: number, advice: number): Vma {
  if (mm.kernel.profile.mseal) canMadviseModify(v, advice);
  let nf = v.flags;
  switch (advice) {
    case MADV_GUARD_INSTALL:
      madviseGuardInstall(mm, v, start, end);
      return v;
    case MADV_GUARD_REMOVE:
      madviseGuardRemove(mm, v, start, end);
      return v;
    case MADV_DONTNEED:
    case MADV_FREE:
      dontneedFreeValidVma(v, start, advice);
      // MADV_FREE works for only anon vma at the moment (madvise_free_single_vma()); lazy freeing is not modelled.
      if (advice === MADV_FREE) {
        if (!isAnonymousVma(v)) fail("EINVAL", "madvise",
          `MADV_FREE on [${hexAddr(v.start)}-${hexAddr(v.end)}), ` +
          `which is not anonymous memory (${v.file!.inode.path}): madvise_free_single_vma()`);
        return v;
      }
      // A hugetlb range is rounded down to whole huge pages (none are ever faulted in here).
      if (!(v.flags & VM_HUGETLB)) zapRange(mm, start, end);
      return v;
    case MADV_REMOVE:
      madviseRemove(v);
      return v;
    case MADV_WILLNEED:
    case MADV_COLD:
    case MADV_PAGEOUT:
      return v; // no VMA change; page reclaim is not modelled
    case MADV_NORMAL: nf = clearFlags(nf, VM_RAND_READ | VM_SEQ_READ); break;
    case MADV_SEQUENTIAL: nf = clearFlags(nf, VM_RAND_READ) | VM_SEQ_READ; break;
    case MADV_RANDOM: nf = clearFlags(nf, VM_SEQ_READ) | VM_RAND_READ; break;
    case MADV_DONTFORK: nf |= VM_DONTCOPY; break;
    case MADV_DOFORK:
      if (v.flags & VM_IO) fail("EINVAL", "madvise",
        `MADV_DOFORK on a VM_IO mapping [${hexAddr(v.start)}-${hexAddr(v.end)})`);
      nf = clearFlags(nf, VM_DONTCOPY);
      break;
    case MADV_WIPEONFORK:
      if (v.file || v.flags & VM_SHARED) fail("EINVAL", "madvise",
        "MADV_WIPEONFORK is only for private anonymous memory");
      nf |= VM_WIPEONFORK;
      break;
    case MADV_KEEPONFORK:
      if (v.flags & VM_DROPPABLE) fail("EINVAL", "madvise", "MADV_KEEPONFORK on a MAP_DROPPABLE mapping");
      nf = clearFlags(nf, VM_WIPEONFORK);
      break;
    case MADV_DONTDUMP: nf |= VM_DONTDUMP; break;
    case MADV_DODUMP:
      if (!(v.flags & VM_HUGETLB) && nf & VM_SPECIAL) fail("EINVAL", "madvise", "MADV_DODUMP on a VM_SPECIAL mapping");
      nf = clearFlags(nf, VM_DONTDUMP);
      break;
    case MADV_MERGEABLE:
    case MADV_UNMERGEABLE:
      nf = ksmMadvise(mm, v, start, end, advice, nf);
      break;
    case MADV_HUGEPAGE: nf = clearFlags(nf, VM_NOHUGEPAGE) | VM_HUGEPAGE; break;
    case MADV_NOHUGEPAGE: nf = clearFlags(nf, VM_HUGEPAGE) | VM_NOHUGEPAGE; break;
  }
  // madvise_update_vma(): nothing to do when nothing changes.
  if (nf === v.flags) return v;
  return vmaModify(mm, v, start, end, nf, v.anonName, "madvise", "madvise");
}

/** do_madvise(): checks, then madvise_walk_vmas(); ENOMEM from a split becomes EAGAIN. */
export function doMadvise(mm: Mm, start: number, lenIn: number, advice: number): void {
  const guard = advice === MADV_GUARD_INSTALL || advice === MADV_GUARD_REMOVE;
  if (guard && mm.kernel.profile.guardRegions === "none") fail("EINVAL", "madvise",
    `${MADV_NAMES[advice]} does not exist before 6.13 (madvise_behavior_valid())`);
  if (!VALID.has(advice) && !guard) fail("EINVAL", "madvise",
    `advice ${advice} is not valid${MADV_NAMES[advice] ? ` (${MADV_NAMES[advice]} is not modelled)` : ""}`);
  if (start % PAGE_SIZE) fail("EINVAL", "madvise", `addr ${hexAddr(start)} is not page aligned`);
  const len = pageAlign(lenIn);
  if (lenIn && !len) fail("EINVAL", "madvise", "length overflows when rounded up to a page");
  const end = start + len;
  if (end < start || end > 2 ** 64) fail("EINVAL", "madvise", "range wraps around");
  if (end === start) return;
  if (advice === MADV_POPULATE_READ || advice === MADV_POPULATE_WRITE) {
    madvisePopulate(mm, start, end, advice === MADV_POPULATE_WRITE);
    return;
  }
  let unmapped = false;
  let v = mm.tree.findVma(start);
  for (;;) {
    if (!v) fail("ENOMEM", "madvise", `no VMA maps ${hexAddr(start)} or anything after it up to ${hexAddr(end)}`);
    if (start < v.start) {
      unmapped = true;
      start = v.start;
      if (start >= end) break;
    }
    const tmp = Math.min(v.end, end);
    let done: Vma;
    try {
      done = madviseVmaBehavior(mm, v, start, tmp, advice);
    } catch (e) {
      if (e instanceof KernelError && e.errno === "ENOMEM") {
        throw new KernelError("EAGAIN", "madvise", `${e.reason} ` +
          `(madvise() reports ENOMEM as EAGAIN: "kernel resources temporarily unavailable")`);
      }
      throw e;
    }
    start = Math.max(tmp, done.end);
    if (start >= end) break;
    v = mm.tree.findVma(start);
  }
  if (unmapped) fail("ENOMEM", "madvise",
    `part of [${hexAddr(end - len)}-${hexAddr(end)}) is not mapped: the mapped parts were advised`);
}
