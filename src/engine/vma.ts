/**
 * struct vm_area_struct and struct anon_vma: the fields that decide merging, splitting, KSM
 * eligibility and /proc output (include/linux/mm_types.h).
 * @module
 */
import type { TreeItem } from "./vma_tree.ts";
import { hi32, join32, lo32, type VmFlags } from "./flags.ts";
import type { File } from "./file.ts";
import { PAGE_SIZE } from "./uapi.ts";

/** struct anon_vma: identity only; `id` is what pictures and traces show. */
export interface AnonVma {
  readonly id: number;
}

/** Special mappings installed by the kernel (_install_special_mapping()): their maps name. */
export type SpecialName = "[vvar]" | "[vvar_vclock]" | "[vdso]" | "[vsyscall]" | "[uprobes]";

export class Vma implements TreeItem<Vma> {
  // The number fields start as numbers, not undefined (what `start!: number` compiles to under
  // ES2022 class fields): then V8 keeps each in a mutable box written in place, where a field
  // that once held undefined gets a new heap number per write. Measured at 60k VMAs: a scavenge
  // took 6-7 ms and promoted ~350 KB of such numbers; with numbers first, 0.6 ms and nothing.
  /** Identity for traces ("VMA #12"), like a struct pointer; a recycled VMA gets a new one. */
  id = 0;
  start = 0;
  end = 0;
  /** vm_flags bits 0..31, as a signed int32 (a Smi in V8: no BigInt on the hot paths). */
  flagsLo = 0;
  /** vm_flags bits 32..63, as a signed int32 (VM_SEALED is its sign bit). */
  flagsHi = 0;
  /** vm_pgoff, in pages. */
  pgoff = 0;
  /** vm_file: null for anonymous memory. */
  file!: File | null;
  anonVma: AnonVma | null = null;
  /**
   * The anon_vma_chain is not singular: this VMA inherited an anon_vma through fork()
   * (vma_had_uncowed_parents() in 6.16+, !list_is_singular() before).
   */
  forkChild = false;
  /** anon_vma_name() set by prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME). */
  anonName: string | null = null;
  /** vm_ops->name() of a special mapping, or null. */
  special: SpecialName | null = null;
  /** vm_ops->close exists (blocks removal by a merge; hugetlbfs and some drivers). */
  hasCloseHook = false;
  prev: Vma | null = null;
  next: Vma | null = null;
  /** @internal */
  treeNode: unknown = null;

  constructor(
    id: number, start: number, end: number, flagsLo: number, flagsHi: number, pgoff: number, file: File | null,
  ) {
    this.reinit(id, start, end, flagsLo, flagsHi, pgoff, file);
  }

  /** vm_flags as one 64-bit word: allocates a BigInt; for cold code only (traces, /proc, tests). */
  get flags(): VmFlags {
    return join32(this.flagsLo, this.flagsHi);
  }

  set flags(f: VmFlags) {
    this.flagsLo = lo32(f);
    this.flagsHi = hi32(f);
  }

  /** @internal vma_init(): every field as a new VMA has it (also for a recycled one, see vma_cache.ts). */
  reinit(
    id: number, start: number, end: number, flagsLo: number, flagsHi: number, pgoff: number, file: File | null,
  ): void {
    this.id = id;
    this.start = start;
    this.end = end;
    this.flagsLo = flagsLo;
    this.flagsHi = flagsHi;
    this.pgoff = pgoff;
    this.file = file;
    this.anonVma = null;
    this.forkChild = false;
    this.anonName = null;
    this.special = null;
    this.hasCloseHook = false;
    this.prev = null;
    this.next = null;
    this.treeNode = null;
  }

  /** vma_pages(). */
  get pages(): number {
    return (this.end - this.start) / PAGE_SIZE;
  }
}

/** Page count of a byte length. */
export const pages = (bytes: number): number => bytes / PAGE_SIZE;
