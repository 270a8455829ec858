/**
 * Guard regions (mm/madvise.c, 6.13+): MADV_GUARD_INSTALL puts a PTE_MARKER_GUARD in each page
 * of the range (the pages there are zapped first), and an access to one is a SIGSEGV;
 * MADV_GUARD_REMOVE clears them. The markers live in the page tables, not in the VMA: munmap
 * clears them, MADV_DONTNEED keeps them, mremap moves them and fork copies them. 6.19+ (6.18.37+) also
 * marks the VMA VM_MAYBE_GUARD, a sticky flag, so a guarded VMA still merges with its neighbours.
 * @module
 */
import { fail } from "./errno.ts";
import { VM_HUGETLB_LO, VM_LOCKED_LO, VM_MAYBE_GUARD_LO, VM_MAYWRITE_LO, VM_SPECIAL_LO } from "./flags.ts";
import type { Mm } from "./mm.ts";
import type { Vma } from "./vma.ts";
import { isAnonymousVma } from "./anon.ts";
import { anonVmaPrepare } from "./fault.ts";
import { zapRange } from "./munmap.ts";
import { clearGuards } from "./guard_markers.ts";
import { hexAddr } from "./trace.ts";
import { PAGE_SIZE } from "./uapi.ts";

/**
 * is_valid_guard_vma(): never VM_SPECIAL or hugetlb, and not VM_LOCKED for an install (zapping
 * locked pages is refused). 6.13-6.14: private anonymous VMAs with VM_MAYWRITE only.
 */
function validGuardVma(mm: Mm, v: Vma, allowLocked: boolean, name: string): void {
  const at = `[${hexAddr(v.start)}-${hexAddr(v.end)})`;
  if ((v.flagsLo & (VM_SPECIAL_LO | VM_HUGETLB_LO)) !== 0 || v.special) fail("EINVAL", "madvise",
    `${name} on the VM_SPECIAL or hugetlb mapping ${at} (is_valid_guard_vma())`);
  if (!allowLocked && (v.flagsLo & VM_LOCKED_LO) !== 0) fail("EINVAL", "madvise",
    `${name} on the VM_LOCKED mapping ${at}: is_valid_guard_vma() will not zap locked pages`);
  if (mm.kernel.profile.guardRegions === "anon" && (!isAnonymousVma(v) || (v.flagsLo & VM_MAYWRITE_LO) === 0)) {
    fail("EINVAL", "madvise", `${name} on ${at}: before 6.15 guard regions are for private anonymous ` +
      `memory that may be written (is_valid_guard_vma())`);
  }
}

/** madvise_guard_install() for [start, end) of `v`. */
export function madviseGuardInstall(mm: Mm, v: Vma, start: number, end: number): void {
  validGuardVma(mm, v, false, "MADV_GUARD_INSTALL");
  const p = mm.kernel.profile;
  // 6.19+, 6.18.37+: vma_flag_set_atomic(VMA_MAYBE_GUARD_BIT) on the whole VMA: no split, no merge.
  if (p.guardMarksVma) v.flagsLo |= VM_MAYBE_GUARD_LO;
  // anon_vma_prepare(): before 6.19/6.18.37 for every VMA, so that fork copies the page tables; since,
  // only anonymous ones (VM_COPY_ON_FORK covers the rest).
  if (!p.guardMarksVma || isAnonymousVma(v)) anonVmaPrepare(mm, v, "MADV_GUARD_INSTALL");
  // The walk finds present pages, zaps them, and installs the markers.
  zapRange(mm, start, end);
  for (let vpn = start / PAGE_SIZE; vpn < end / PAGE_SIZE; vpn++) mm.guards.add(vpn);
  const t = mm.kernel.tracer;
  t.on && t.event("info", "madvise_guard_install", `guard markers in [${hexAddr(start)}-${hexAddr(end)})` +
    (p.guardMarksVma ? `; the VMA is marked VM_MAYBE_GUARD ("gu"), a sticky flag` : ""), start, end);
}

/** madvise_guard_remove(): clear the markers of [start, end) of `v` (a VM_LOCKED VMA is fine). */
export function madviseGuardRemove(mm: Mm, v: Vma, start: number, end: number): void {
  validGuardVma(mm, v, true, "MADV_GUARD_REMOVE");
  clearGuards(mm, start, end);
}
