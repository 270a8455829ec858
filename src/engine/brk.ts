/**
 * brk() (mm/mmap.c SYSCALL_DEFINE1(brk)) and do_brk_flags() (mm/mmap.c, mm/vma.c from 6.14):
 * the heap grows by expanding the VMA below the old break in place — a left-only new-range
 * merge — or, when that fails, by a new VMA. Under merge-any on 6.4-6.16 it always fails.
 * @module
 */
import { KernelError } from "./errno.ts";
import { VM_ACCOUNT, VM_DATA_DEFAULT_FLAGS, VM_LOCKED_LO, VM_SOFTDIRTY, hi32, lo32 } from "./flags.ts";
import { populateVmaPageRange } from "./fault.ts";
import type { Mm } from "./mm.ts";
import { vmStartGap } from "./mm.ts";
import { ksmAddVma, ksmVmaFlags } from "./ksm.ts";
import { vmaMergeNewRange } from "./merge.ts";
import { vmgState } from "./vma_merge_struct.ts";
import { doVmiAlignMunmap, pageAlign } from "./munmap.ts";
import { getUnmappedArea } from "./unmapped_area.ts";
import { hexAddr } from "./trace.ts";
import { vmEnoughMemory } from "./overcommit.ts";
import { MAP_FIXED, PAGE_SIZE } from "./uapi.ts";

/** do_brk_flags(): map [addr, addr+len) as heap, expanding `vma` when it ends at addr. */
function doBrkFlags(mm: Mm, vma: ReturnType<Mm["findVma"]>, addr: number, len: number): void {
  const k = mm.kernel;
  const v = k.profile;
  const t = k.tracer;
  let flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm.def_flags;
  if (v.ksmFlagTiming === "early" && mm.mergeAny) {
    const before = flags;
    flags = ksmVmaFlags(mm, null, flags);
    if (flags !== before) t.on && t.event("ksm", "ksm_vma_flags",
      `set VM_MERGEABLE on the heap's proposed flags before trying to expand it (cf7e7a3503df, 6.17)`);
  }
  if (mm.map_count > k.maxMapCount) {
    throw new KernelError("ENOMEM", "brk", `map_count (${mm.map_count}) is above vm.max_map_count (${k.maxMapCount})`);
  }
  vmEnoughMemory(mm, len / PAGE_SIZE, "brk", "growing the heap");
  if (vma && vma.end === addr) {
    const vmg = vmgState(mm, addr, addr + len, lo32(flags), hi32(flags), addr / PAGE_SIZE, "brk");
    vmg.prev = vma;
    vmg.justExpand = true; // vmi is positioned at prev, which this mode expects
    const merged = vmaMergeNewRange(vmg);
    if (merged) {
      if (k.config.softDirty) merged.flags |= VM_SOFTDIRTY;
      return;
    }
  }
  const nv = mm.newVma(addr, addr + len, flags, addr / PAGE_SIZE, null);
  mm.insert(nv);
  t.on && t.event("new", "do_brk_flags", `new heap VMA [${hexAddr(nv.start)}-${hexAddr(nv.end)})`, nv.start, nv.end);
  if (v.ksmFlagTiming === "late") ksmAddVma(mm, nv);
  if (k.config.softDirty) nv.flags |= VM_SOFTDIRTY;
}

/**
 * sys_brk(): returns the new break on success and the old one on any failure (brk() has no
 * errno of its own). Explanations of a refusal go to the trace.
 */
/** mm_populate(oldbrk, newbrk - oldbrk): errors are ignored. */
function populateHeap(mm: Mm, start: number, end: number): void {
  const v = mm.tree.findVma(start);
  if (!v || v.start >= end) return;
  try {
    populateVmaPageRange(mm, v, Math.max(start, v.start), Math.min(end, v.end), "brk");
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
  }
}

export function sysBrk(mm: Mm, brk: number): number {
  const t = mm.kernel.tracer;
  const origbrk = mm.brk;
  const minBrk = mm.start_brk;
  if (brk < minBrk) {
    if (brk !== 0) t.on && t.event("info", "brk", `${hexAddr(brk)} is below start_brk ${hexAddr(minBrk)}: ` +
      `the break is unchanged`);
    return origbrk;
  }
  const newbrk = pageAlign(brk);
  const oldbrk = pageAlign(mm.brk);
  if (oldbrk === newbrk) {
    mm.brk = brk;
    return brk;
  }
  if (brk <= mm.brk) {
    // Always allow shrinking brk.
    const v = mm.tree.findVma(newbrk);
    if (!v || v.start >= oldbrk) return origbrk;
    mm.brk = brk;
    doVmiAlignMunmap(mm, newbrk, oldbrk, "brk");
    return brk;
  }
  try {
    getUnmappedArea(mm, oldbrk, newbrk - oldbrk, MAP_FIXED, "brk"); // check_brk_limits()
  } catch (e) {
    if (e instanceof KernelError) {
      t.on && t.event("info", "check_brk_limits", e.reason);
      return origbrk;
    }
    throw e;
  }
  const next = mm.tree.findVma(oldbrk);
  if (next && newbrk + PAGE_SIZE > vmStartGap(next)) {
    t.on && t.event("info", "brk", `growing to ${hexAddr(newbrk)} ` +
      `would come within a page of the VMA at ${hexAddr(next.start)}: the break is unchanged`);
    return origbrk;
  }
  // vma_prev_limit(&vmi, mm->start_brk): the VMA ending at or below oldbrk, starting at or above start_brk.
  const below = next ? next.prev : mm.tree.last();
  const brkvma = below && below.start >= mm.start_brk ? below : null;
  try {
    doBrkFlags(mm, brkvma, oldbrk, newbrk - oldbrk);
  } catch (e) {
    if (e instanceof KernelError) {
      t.on && t.event("info", "do_brk_flags", e.reason);
      return origbrk;
    }
    throw e;
  }
  mm.brk = brk;
  // SYSCALL_DEFINE1(brk): under mlockall(MCL_FUTURE) the new heap pages are faulted in (mm_populate()).
  if (mm.defFlagsLo & VM_LOCKED_LO) populateHeap(mm, oldbrk, newbrk);
  return brk;
}
