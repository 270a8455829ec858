/**
 * struct mm_struct: the address space of a process, and the primitives every VMA operation
 * goes through to change it (the kernel's vma_iter_store()/vma_iter_clear() and map_count).
 * @module
 */
import { VmaTree } from "./vma_tree.ts";
import type { AnonVma, Vma } from "./vma.ts";
import { hi32, join32, lo32, VM_GROWSDOWN_LO, type VmFlags } from "./flags.ts";
import type { File } from "./file.ts";
import type { Host } from "./host.ts";
import type { Page } from "./page.ts";
import { PAGE_SIZE } from "./uapi.ts";

/** mm/mmap.c stack_guard_gap: 256 pages. */
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;

/** include/linux/mm.h vm_start_gap(): a VM_GROWSDOWN VMA keeps stack_guard_gap free below it. */
export function vmStartGap(v: Vma): number {
  if ((v.flagsLo & VM_GROWSDOWN_LO) !== 0) return Math.max(0, v.start - STACK_GUARD_GAP);
  return v.start;
}

export class Mm {
  readonly tree = new VmaTree<Vma>((v) => Math.max(0, vmStartGap(v) - (v.prev ? v.prev.end : 0)));
  start_brk = 0;
  brk = 0;
  start_stack = 0;
  /** x86 mmap_base with randomisation off: TASK_SIZE - 128 MiB (arch/x86/mm/mmap.c mmap_base()). */
  mmap_base = 0;
  /** mm->def_flags, as two int32 halves (see Vma.flagsLo). */
  defFlagsLo = 0;
  defFlagsHi = 0;
  /** MMF_VM_MERGE_ANY: prctl(PR_SET_MEMORY_MERGE, 1). */
  mergeAny = false;
  /** MMF_VM_MERGEABLE: the mm has a slot on ksmd's list (__ksm_enter()). */
  ksmRegistered = false;
  /** Page tables: virtual page number → page (present PTEs only). */
  readonly ptes = new Map<number, Page>();
  /** Guard-region PTE markers (PTE_MARKER_GUARD, 6.13+): virtual page numbers; see guard.ts. */
  readonly guards = new Set<number>();

  constructor(readonly kernel: Host<Mm>, public pid: number) {}

  get def_flags(): VmFlags {
    return join32(this.defFlagsLo, this.defFlagsHi);
  }

  set def_flags(f: VmFlags) {
    this.defFlagsLo = lo32(f);
    this.defFlagsHi = hi32(f);
  }

  get map_count(): number {
    return this.tree.size;
  }

  /** A new VMA object (vm_area_alloc()). */
  newVma(start: number, end: number, flags: VmFlags, pgoff: number, file: File | null): Vma {
    return this.newVma32(start, end, lo32(flags), hi32(flags), pgoff, file);
  }

  /** newVma() with the flags as the two words of Vma.flagsLo/flagsHi (the hot paths: mmap, split). */
  newVma32(start: number, end: number, flagsLo: number, flagsHi: number, pgoff: number, file: File | null): Vma {
    return this.kernel.vmaCache.alloc(this.kernel.nextId(), start, end, flagsLo, flagsHi, pgoff, file);
  }

  /** A new anon_vma (anon_vma_alloc()). */
  newAnonVma(): AnonVma {
    return { id: this.kernel.nextId() };
  }

  /**
   * vma_iter_store() of a new VMA; map_count follows the tree. `prev` is the VMA it goes after
   * (null: it becomes the first) when the caller knows it, as the kernel's iterator is already
   * positioned there (split, mmap, fork); then no lookup is needed.
   */
  insert(v: Vma, prev?: Vma | null): void {
    this.tree.insert(v, prev);
  }

  /** Detach a VMA (vma_iter_clear() + remove_vma(), which frees it with vm_area_free()). */
  remove(v: Vma): void {
    this.tree.erase(v);
    this.kernel.vmaCache.release(v);
  }

  /** vma_set_range() + vma_iter_store(): change a VMA's range in place. */
  setRange(v: Vma, start: number, end: number, pgoff: number): void {
    const moved = v.start !== start;
    const grew = v.end !== end;
    v.start = start;
    v.end = end;
    v.pgoff = pgoff;
    // Only the gap below v (its start) and the gap below next (v's end) can have changed.
    if (moved) this.tree.update(v);
    if (grew && v.next) this.tree.update(v.next);
  }

  /** find_vma(). */
  findVma(addr: number): Vma | null {
    return this.tree.findVma(addr);
  }

  vmas(): Vma[] {
    return this.tree.toArray();
  }
}
