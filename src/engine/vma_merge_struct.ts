/**
 * struct vma_merge_struct ("vmg", mm/vma.h, 6.12+): one merge attempt. The caller fills in the
 * proposed range and its attributes with the VMG_*STATE() constructors; the merge functions of
 * merge.ts fill in the plan (target, merged range, what is removed or adjusted) and the state.
 * @module
 */
import type { File } from "./file.ts";
import type { Mm } from "./mm.ts";
import type { AnonVma, Vma } from "./vma.ts";
import { pages } from "./vma.ts";

/** enum vma_merge_state (mm/vma.h, 6.12+). */
export const VMA_MERGE_START = "VMA_MERGE_START";
export const VMA_MERGE_ERROR_NOMEM = "VMA_MERGE_ERROR_NOMEM";
export const VMA_MERGE_NOMERGE = "VMA_MERGE_NOMERGE";
export const VMA_MERGE_SUCCESS = "VMA_MERGE_SUCCESS";
export type VmaMergeState =
  | typeof VMA_MERGE_START
  | typeof VMA_MERGE_ERROR_NOMEM
  | typeof VMA_MERGE_NOMERGE
  | typeof VMA_MERGE_SUCCESS;

/**
 * Why a merge predicate said no. Built only when someone reads reasons (the trace, the analyser:
 * VmaMergeStruct.explain); otherwise the predicates answer UNEXPLAINED and format nothing.
 * The wording is in merge_reasons.ts.
 */
export class Why {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** The neighbour on that side is not adjacent (or absent): nothing to explain. */
export const NOT_ADJACENT = new Why("no adjacent VMA");

/** The answer "no" when nobody will read why (tracing off): the hot path allocates no reason. */
export const UNEXPLAINED = new Why("not merged (the reason is not recorded when tracing is off)");

export class VmaMergeStruct {
  /*
   * Adjacent VMAs, any of which may be null (mm/vma.h):
   *
   * |------|--------|------|
   * | prev | middle | next |
   * |------|--------|------|
   *
   * middle is null for a proposed new range, else the VMA being changed.
   */
  prev: Vma | null = null;
  middle: Vma | null = null;
  next: Vma | null = null;
  /** The VMA that becomes the merged VMA (set by the merge functions). */
  target: Vma | null = null;
  /** The proposed range; a successful plan widens it to the merged VMA's range, as the kernel does. */
  start: number;
  end: number;
  /** pgoff of `start`, in pages. */
  pgoff: number;
  /** vmg->vm_flags as two int32 words (Vma.flagsLo, Vma.flagsHi): the merge predicates use no BigInt. */
  flagsLo: number;
  flagsHi: number;
  file: File | null = null;
  /** vmg->anon_vma: null for mmap/brk, middle's for existing ranges, the moved VMA's for copy_vma(). */
  anonVma: AnonVma | null = null;
  anonName: string | null = null;
  state: VmaMergeState = VMA_MERGE_START;
  /** vmg->just_expand: brk never looks at next, and keeps the iterator at prev. */
  justExpand = false;
  /** vmg->copied_from (6.19, 6.18.8+): the VMA copy_vma() copies; its fork status and anon_vma matter. */
  copiedFrom: Vma | null = null;

  // The plan: the kernel's internal flags (mm/vma.h), set by the merge functions, applied by commitMerge().
  /** __remove_middle: middle is absorbed and freed. */
  removeMiddle = false;
  /** __remove_next: next is absorbed and freed. */
  removeNext = false;
  /** __adjust_middle_start: middle keeps [end, middle.end) (prev grew into its start). */
  adjustMiddleStart = false;
  /** __adjust_next_start: next grows down to `end`; middle keeps [start, end). */
  adjustNextStart = false;
  /** dup_anon_vma(target, anonDup): the VMA whose anon_vma the target takes if it has none. */
  anonDup: Vma | null = null;

  // Not in the kernel's struct: who asked, and why not, for explanations.
  /** Who asked, for explanations: "mmap", "brk", "mprotect", ... */
  caller: string;
  /** Build the reasons (the trace is on, or a caller such as the analyser asks). */
  explain: boolean;
  /** Why not prev / next / the whole range (VM_SPECIAL, a close hook); null when it did not say no. */
  prevWhy: Why | null = null;
  nextWhy: Why | null = null;
  why: Why | null = null;

  constructor(
    readonly mm: Mm, start: number, end: number, flagsLo: number, flagsHi: number, pgoff: number, caller: string,
  ) {
    this.start = start;
    this.end = end;
    this.flagsLo = flagsLo;
    this.flagsHi = flagsHi;
    this.pgoff = pgoff;
    this.caller = caller;
    this.explain = mm.kernel.tracer.on;
  }
}

/** VMG_STATE() (mm/vma.h, 6.12+): a proposed new range [start, end) with flags and pgoff. */
export function vmgState(
  mm: Mm, start: number, end: number, flagsLo: number, flagsHi: number, pgoff: number, caller: string,
): VmaMergeStruct {
  return new VmaMergeStruct(mm, start, end, flagsLo, flagsHi, pgoff, caller);
}

/**
 * VMG_VMA_STATE() (mm/vma.h, 6.12+): [start, end) of `vma`, with vma's attributes;
 * pgoff is vma_pgoff_offset(vma, start). `prev` is vma itself when start is inside it.
 */
export function vmgVmaState(
  mm: Mm, prev: Vma | null, vma: Vma, start: number, end: number, caller: string,
): VmaMergeStruct {
  const pgoff = vma.pgoff + pages(start - vma.start); // vma_pgoff_offset()
  const vmg = new VmaMergeStruct(mm, start, end, vma.flagsLo, vma.flagsHi, pgoff, caller);
  vmg.prev = prev;
  vmg.middle = vma;
  vmg.file = vma.file;
  vmg.anonVma = vma.anonVma;
  vmg.anonName = vma.anonName;
  return vmg;
}

/** VMG_MMAP_STATE() (mm/vma.c, 6.13+): the new range of mmap_region() between prev and next. */
export function vmgMmapState(
  mm: Mm, start: number, end: number, flagsLo: number, flagsHi: number, pgoff: number, file: File | null,
  prev: Vma | null, next: Vma | null,
): VmaMergeStruct {
  const vmg = new VmaMergeStruct(mm, start, end, flagsLo, flagsHi, pgoff, "mmap");
  vmg.file = file;
  vmg.prev = prev;
  vmg.next = next;
  return vmg;
}
