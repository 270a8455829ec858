/**
 * VMA merging (mm/vma.c in 6.11+, mm/mmap.c before): the compatibility predicates, new-range
 * merges (mmap, brk, mremap) and existing-range merges (mprotect, madvise).
 *
 * Ported logic: is_mergeable_vma(), is_mergeable_anon_vma(), can_vma_merge_before/after(),
 * can_vma_merge_left/right(), vma_merge_new_range(), vma_merge_existing_range(), vma_expand(),
 * commit_merge() (6.12+; the 6.1-6.11 vma_merge() cases 1-8 give the same outcomes apart from
 * the version switches modelled here), and the 6.1-6.11 open-coded expansion of mmap_region().
 *
 * As in mm/vma.c, a merge first plans (the vmg's target, merged range, remove/adjust flags),
 * then commitMerge() applies the plan. planMerge*() alone is a dry run: it says whether the
 * range would merge, and why not, and changes nothing. The wording is in merge_reasons.ts.
 * @module
 */
import { VM_SOFTDIRTY_LO, VM_SPECIAL_LO, VM_STICKY_LO } from "./flags.ts";
import { pages, type Vma } from "./vma.ts";
import {
  NOT_ADJACENT, UNEXPLAINED, VMA_MERGE_NOMERGE, VMA_MERGE_SUCCESS, Why, type VmaMergeStruct,
} from "./vma_merge_struct.ts";
import * as reason from "./merge_reasons.ts";

export { NOT_ADJACENT, UNEXPLAINED, Why };
export { describeFlagDiff } from "./merge_reasons.ts";

const NOT_SOFTDIRTY_LO = ~VM_SOFTDIRTY_LO;
/** 6.19+, 6.18.37+ ~VM_IGNORE_MERGE: VM_SOFTDIRTY and VM_MAYBE_GUARD (both in the low word). */
const NOT_IGNORE_MERGE_LO = ~VM_STICKY_LO;

/**
 * is_mergeable_vma(): attribute equality with one neighbour, VM_SOFTDIRTY ignored (6.19+, 6.18.37+: all of
 * VM_IGNORE_MERGE = VM_STICKY, 64212ba02e66). Returns why not, or null.
 * 6.1-6.11 also refuse a neighbour with vm_ops->close (6.4+: only one that would be removed, 714965ca8252);
 * 6.12+ check close hooks only at removal (can_merge_remove_vma()).
 */
export function isMergeableVma(vmg: VmaMergeStruct, nb: Vma, side: string, mayRemove: boolean): Why | null {
  const v = vmg.mm.kernel.profile;
  // mergeFlagDiff() on the halves: VM_SOFTDIRTY (bit 27) and VM_MAYBE_GUARD (11) are in the low word.
  const ignore = v.stickyFlags ? NOT_IGNORE_MERGE_LO : NOT_SOFTDIRTY_LO;
  if (((nb.flagsLo ^ vmg.flagsLo) & ignore) !== 0 || nb.flagsHi !== vmg.flagsHi) {
    return vmg.explain ? reason.flagsDiffer(vmg, nb, side) : UNEXPLAINED;
  }
  if (nb.file !== vmg.file) return vmg.explain ? reason.fileDiffers(vmg, nb, side) : UNEXPLAINED;
  if (v.mergeEngine === "legacy" && nb.hasCloseHook && (!v.closeHookOnlyIfRemoved || mayRemove)) {
    return vmg.explain ? reason.closeHook(side) : UNEXPLAINED;
  }
  if (nb.anonName !== vmg.anonName) return vmg.explain ? reason.anonNameDiffers(vmg, nb) : UNEXPLAINED;
  return null;
}

/**
 * vma_had_uncowed_parents() (6.16-6.18.7), vma_is_fork_child() (6.18.8+, 6.19+: renamed by
 * 61f67c230a5e) / a non-singular anon_vma_chain: the VMA came from fork().
 */
const forkChild = (v: Vma | null | undefined): boolean => !!v && !!v.anonVma && v.forkChild;

/**
 * is_mergeable_anon_vma(). ≤6.15: true if one side has no anon_vma and the target's chain is
 * singular, else the anon_vmas must be equal. 6.16+ (879bca0a2c4f): a faulted source may merge
 * into an unfaulted target unless the source came from fork. `src` is vmg->anon_vma, or the
 * anon_vma 6.1-6.11 mmap_region() passes to can_vma_merge_after().
 */
export function isMergeableAnonVma(vmg: VmaMergeStruct, tgt: Vma, side: string, src = vmg.anonVma): Why | null {
  const v = vmg.mm.kernel.profile;
  const tgtAnon = tgt.anonVma;
  if (v.anonVmaRule === "uncowed") {
    if (!tgtAnon && src) {
      const from = vmg.middle ?? (v.copiedFrom ? vmg.copiedFrom : null);
      if (!forkChild(from)) return null;
      return vmg.explain ? reason.forkedRangeIntoUnfaulted(vmg, side) : UNEXPLAINED;
    }
    if (tgtAnon && !src) {
      return !forkChild(tgt) ? null : vmg.explain ? reason.forkedTargetUncowed(vmg, side) : UNEXPLAINED;
    }
    if (src === tgtAnon) return null;
    return vmg.explain ? reason.anonVmaDiffers(side, tgtAnon!, src!) : UNEXPLAINED;
  }
  if (!src && tgtAnon && !tgt.forkChild) return null;
  if (src === tgtAnon) return null;
  if (!tgtAnon) return vmg.explain ? reason.faultedIntoUnfaulted(side, src!) : UNEXPLAINED;
  if (!src) return vmg.explain ? reason.forkedTargetChain(side) : UNEXPLAINED;
  return vmg.explain ? reason.anonVmaDiffers(side, tgtAnon, src) : UNEXPLAINED;
}

/** can_vma_merge_left(): prev is adjacent and can_vma_merge_after() it. Returns why not. */
export function canMergeLeft(vmg: VmaMergeStruct, anonVma = vmg.anonVma): Why | null {
  const p = vmg.prev;
  if (!p || p.end !== vmg.start) return NOT_ADJACENT;
  const no = isMergeableVma(vmg, p, "prev", false) ?? isMergeableAnonVma(vmg, p, "prev", anonVma);
  if (no) return no;
  if (p.pgoff + p.pages !== vmg.pgoff) return vmg.explain ? reason.pgoffAfterPrev(vmg, p) : UNEXPLAINED;
  return null;
}

/**
 * can_vma_merge_right(): next is adjacent and can_vma_merge_before() it; when prev merges too,
 * prev's and next's anon_vmas must be compatible (is_mergeable_anon_vma(prev, next)).
 */
export function canMergeRight(vmg: VmaMergeStruct, mergeLeft: boolean): Why | null {
  const n = vmg.next;
  if (!n || n.start !== vmg.end) return NOT_ADJACENT;
  const no = isMergeableVma(vmg, n, "next", true) ?? isMergeableAnonVma(vmg, n, "next");
  if (no) return no;
  const endPgoff = vmg.pgoff + pages(vmg.end - vmg.start);
  if (n.pgoff !== endPgoff) return vmg.explain ? reason.pgoffBeforeNext(vmg, n, endPgoff) : UNEXPLAINED;
  const p = vmg.prev;
  if (mergeLeft && p && p.anonVma && n.anonVma && p.anonVma !== n.anonVma) {
    return vmg.explain ? reason.prevNextAnonVmas(p.anonVma, n.anonVma) : UNEXPLAINED;
  }
  return null;
}

/** dup_anon_vma(): dst takes src's anon_vma (and its chain, so its fork status) if it has none. */
function dupAnonVma(dst: Vma, src: Vma): void {
  if (src.anonVma && !dst.anonVma) {
    dst.anonVma = src.anonVma;
    dst.forkChild = src.forkChild;
  }
}

/** vma_expand()'s part of the plan: absorb next if the range now reaches its end. */
function planExpand(vmg: VmaMergeStruct): void {
  const target = vmg.target!;
  const next = vmg.next;
  if (next && target !== next && vmg.end === next.end) {
    vmg.removeNext = true;
    vmg.anonDup = next;
  }
  // vmg->copied_from (6.19, 6.18.8+): the target also takes the moved VMA's anon_vma; before,
  // it did not, and the moved pages were left without one (the anon_vma UAF).
  const copied = vmg.mm.kernel.profile.copiedFrom ? vmg.copiedFrom : null;
  if (copied && !(vmg.anonDup && vmg.anonDup.anonVma)) vmg.anonDup = copied;
}

/**
 * The plan of vma_merge_new_range() (6.12+; vma_merge() cases 1-3 before): may the empty range
 * [start, end) join prev and/or next? Sets target and the merged range; changes no VMA.
 */
export function planMergeNewRange(vmg: VmaMergeStruct): boolean {
  const prev = vmg.prev;
  const next = vmg.next;
  const end = vmg.end;
  vmg.state = VMA_MERGE_NOMERGE;
  // Special VMAs are unmergeable, also if no prev/next.
  if ((vmg.flagsLo & VM_SPECIAL_LO) !== 0) {
    vmg.why = reason.SPECIAL_NEW_RANGE;
    return false;
  }
  if (!prev && !next) return false;
  vmg.prevWhy = canMergeLeft(vmg);
  const canMergeLeftOk = vmg.prevWhy === null;
  vmg.nextWhy = vmg.justExpand ? NOT_ADJACENT : canMergeRight(vmg, canMergeLeftOk);
  if (vmg.nextWhy === null) {
    /*
     * Proposed:       |-----|
     * Existing:             |----|      next expands down over the range
     */
    vmg.end = next!.end;
    vmg.target = next;
  }
  if (canMergeLeftOk) {
    /*
     * Proposed:       |-----|       or       |-----|
     * Existing:  |----|                 |----|     |----|
     * prev expands over the range (and over next when both merge: next is removed).
     */
    vmg.start = prev!.start;
    vmg.target = prev;
    vmg.pgoff = prev!.pgoff;
    // Removing next is not permitted (vm_ops->close): reduce to merging prev and the range.
    if (vmg.nextWhy === null && next!.hasCloseHook) vmg.end = end;
  }
  if (!vmg.target) return false;
  planExpand(vmg);
  return true;
}

/**
 * The plan of the 6.1-6.11 open-coded expansion in mmap_region(): next is tried first with no
 * anon_vma, then prev against next's anon_vma; so when prev and next have different anon_vmas,
 * the new range joins next (6.12+ vma_merge_new_range() joins prev).
 */
export function planMmapRegionExpandLegacy(vmg: VmaMergeStruct): boolean {
  const prev = vmg.prev;
  const next = vmg.next;
  vmg.state = VMA_MERGE_NOMERGE;
  if ((vmg.flagsLo & VM_SPECIAL_LO) !== 0) {
    vmg.why = reason.SPECIAL_LEGACY;
    return false;
  }
  let target: Vma | null = null;
  let start = vmg.start;
  let end = vmg.end;
  let pgoff = vmg.pgoff;
  vmg.nextWhy = canMergeRight(vmg, false);
  if (vmg.nextWhy === null) {
    target = next;
    end = next!.end;
    pgoff = next!.pgoff - pages(vmg.end - vmg.start);
  }
  vmg.prevWhy = canMergeLeft(vmg, target ? target.anonVma : null);
  if (vmg.prevWhy === null) {
    target = prev;
    start = prev!.start;
    pgoff = prev!.pgoff;
  }
  if (!target) return false;
  vmg.target = target;
  vmg.start = start;
  vmg.end = end;
  vmg.pgoff = pgoff;
  planExpand(vmg);
  return true;
}

/**
 * The plan of vma_merge_existing_range() (6.12+; vma_merge() cases 4-8 before): [start, end)
 * lies inside middle and is getting new attributes; may it join prev and/or next? Sets next
 * (middle's, when the range reaches middle's end), target, the merged range and what is
 * removed or adjusted; changes no VMA. prev is middle itself when the range starts inside it.
 */
export function planMergeExistingRange(vmg: VmaMergeStruct): boolean {
  const middle = vmg.middle!;
  const prev = vmg.prev;
  const start = vmg.start;
  const end = vmg.end;
  const leftSide = start === middle.start;
  const rightSide = end === middle.end;
  vmg.state = VMA_MERGE_NOMERGE;
  // A special mapping, or a range at neither edge of middle: no chance of merging.
  if ((vmg.flagsLo & VM_SPECIAL_LO) !== 0) {
    vmg.why = reason.SPECIAL_EXISTING;
    return false;
  }
  if (!leftSide && !rightSide) return false;
  vmg.prevWhy = leftSide ? canMergeLeft(vmg) : NOT_ADJACENT;
  const mergeLeft = vmg.prevWhy === null;
  const next = rightSide ? middle.next : null;
  vmg.next = next;
  vmg.nextWhy = rightSide ? canMergeRight(vmg, mergeLeft) : NOT_ADJACENT;
  let mergeRight = vmg.nextWhy === null;
  if (!mergeLeft && !mergeRight) return false;
  let mergeBoth = mergeLeft && mergeRight;
  // If we span the entire VMA, a merge implies it will be deleted: not if it has vm_ops->close.
  vmg.removeMiddle = leftSide && rightSide;
  if (vmg.removeMiddle && middle.hasCloseHook) {
    vmg.why = reason.MIDDLE_CLOSE_HOOK;
    return false;
  }
  // If we merge both VMAs, next is deleted too; if it cannot be, merge prev and middle only.
  vmg.removeNext = mergeBoth;
  if (vmg.removeNext && next!.hasCloseHook) {
    vmg.removeNext = false;
    mergeRight = false;
    mergeBoth = false;
  }
  vmg.target = mergeLeft ? prev : next;
  if (mergeBoth) {
    /*
     * |<-------------------->|
     * |-------********-------|
     *   prev   middle   next
     *  extend  delete  delete
     */
    vmg.start = prev!.start;
    vmg.end = next!.end;
    vmg.pgoff = prev!.pgoff;
    // Which of next or middle has the anon_vma prev must take, if prev has none.
    vmg.anonDup = next!.anonVma ? next : middle;
  } else if (mergeLeft) {
    /*
     * |<------------>|      OR
     * |<----------------->|
     * |-------*************
     *   prev     middle
     *  extend shrink/delete
     */
    vmg.start = prev!.start;
    vmg.pgoff = prev!.pgoff;
    if (!vmg.removeMiddle) vmg.adjustMiddleStart = true;
    vmg.anonDup = middle;
  } else {
    /*
     *     |<------------->| OR
     * |<----------------->|
     * *************-------|
     *    middle     next
     * shrink/delete extend
     */
    const pglen = pages(end - start);
    if (vmg.removeMiddle) {
      vmg.end = next!.end;
      vmg.pgoff = next!.pgoff - pglen;
    } else {
      // We shrink middle and expand next.
      vmg.adjustNextStart = true;
      vmg.start = middle.start;
      vmg.end = start;
      vmg.pgoff = middle.pgoff;
    }
    vmg.anonDup = middle;
  }
  return true;
}

/** remove a VMA absorbed by a merge (vma_complete() → remove_vma()). */
function removeAbsorbed(vmg: VmaMergeStruct, victim: Vma, fn: string): void {
  const t = vmg.mm.kernel.tracer;
  vmg.mm.remove(victim);
  t.on && t.event("remove", fn, reason.removed(victim), victim.start, victim.end);
}

/**
 * commit_merge() (mm/vma.c, 6.12+; vma_adjust()/__vma_adjust() before): apply the plan. The target
 * takes an anon_vma (dup_anon_vma()), middle/next are removed, the adjusted VMA shrinks, the
 * target covers [start, end); one "merge" event says what the target became (`describe`).
 */
export function commitMerge(vmg: VmaMergeStruct, fn: string, describe: (vmg: VmaMergeStruct) => string): Vma {
  const mm = vmg.mm;
  const t = mm.kernel.tracer;
  const target = vmg.target!;
  const middle = vmg.middle;
  const next = vmg.next;
  // 6.19+ (6.18.37+) sticky flags: vma_merge_existing_range() and vma_expand() collect VM_STICKY from the
  // range, the target and a removed next, and vm_flags_set() them on the target (64212ba02e66).
  const sticky = mm.kernel.profile.stickyFlags
    ? (vmg.flagsLo | target.flagsLo | (vmg.removeNext ? next!.flagsLo : 0)) & VM_STICKY_LO : 0;
  if (vmg.anonDup) dupAnonVma(target, vmg.anonDup);
  if (vmg.removeMiddle) removeAbsorbed(vmg, middle!, fn);
  if (vmg.removeNext) removeAbsorbed(vmg, next!, fn);
  if (vmg.adjustNextStart) {
    // middle keeps [start, end); next, the target, grows down to end (vmg_adjust_set_range()).
    mm.setRange(middle!, vmg.start, vmg.end, vmg.pgoff);
    mm.setRange(next!, vmg.end, next!.end, next!.pgoff - pages(next!.start - vmg.end));
  } else {
    // middle keeps [end, middle.end): prev, the target, grew into its start.
    if (vmg.adjustMiddleStart) {
      mm.setRange(middle!, vmg.end, middle!.end, middle!.pgoff + pages(vmg.end - middle!.start));
    }
    mm.setRange(target, vmg.start, vmg.end, vmg.pgoff);
  }
  target.flagsLo |= sticky;
  vmg.state = VMA_MERGE_SUCCESS;
  t.on && t.event("merge", fn, describe(vmg), target.start, target.end);
  return target;
}

/** The trace lines of a plan that said no: prev's and next's reasons, then the whole range's. */
function traceNoMerge(vmg: VmaMergeStruct, fn: string): void {
  const t = vmg.mm.kernel.tracer;
  if (!t.on) return;
  const p = vmg.prev!;
  const n = vmg.next!;
  const pw = vmg.prevWhy;
  const nw = vmg.nextWhy;
  if (pw && pw !== NOT_ADJACENT) t.event("nomerge", fn, reason.didNotMerge("prev", p, pw), p.start, p.end);
  if (nw && nw !== NOT_ADJACENT) t.event("nomerge", fn, reason.didNotMerge("next", n, nw), n.start, n.end);
  if (vmg.why) t.event("nomerge", fn, vmg.why.text);
}

/** The function a trace names: the 6.12+ one, or vma_merge() before. */
const mergeFn = (vmg: VmaMergeStruct, name: string): string =>
  vmg.mm.kernel.profile.mergeEngine === "vmg" ? name : "vma_merge";

/**
 * vma_merge_new_range() (6.12+; vma_merge() cases 1-3 before): merge the empty range
 * [start, end) with prev and/or next. Returns the VMA now covering the range, or null;
 * vmg.state says which (VMA_MERGE_SUCCESS / VMA_MERGE_NOMERGE).
 */
export function vmaMergeNewRange(vmg: VmaMergeStruct): Vma | null {
  const fn = mergeFn(vmg, "vma_merge_new_range");
  const ok = planMergeNewRange(vmg);
  traceNoMerge(vmg, fn);
  return ok ? commitMerge(vmg, fn, reason.mergedNewRange) : null;
}

/** The 6.1-6.11 mmap_region() expansion (planMmapRegionExpandLegacy()), applied by vma_expand(). */
export function mmapRegionExpandLegacy(vmg: VmaMergeStruct): Vma | null {
  const ok = planMmapRegionExpandLegacy(vmg);
  traceNoMerge(vmg, "mmap_region");
  return ok ? commitMerge(vmg, "vma_expand", reason.expandedLegacy) : null;
}

/**
 * vma_merge_existing_range() (6.12+; vma_merge() cases 4-8 before): returns the VMA that now
 * holds [start, end) (the caller then writes the new flags onto it, as vm_flags_reset() does),
 * or null; vmg.state says which.
 */
export function vmaMergeExistingRange(vmg: VmaMergeStruct): Vma | null {
  const fn = mergeFn(vmg, "vma_merge_existing_range");
  const ok = planMergeExistingRange(vmg);
  traceNoMerge(vmg, fn);
  return ok ? commitMerge(vmg, fn, reason.mergedExistingRange) : null;
}
