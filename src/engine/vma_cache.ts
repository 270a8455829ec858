/**
 * vm_area_cachep: where VMAs come from and go back to (vm_area_alloc() / vm_area_free();
 * kernel/fork.c, mm/vma_init.c from 6.16). The kernel's slab hands a freed vm_area_struct to
 * the next allocation; RCU readers may still look at a freed VMA for a while (6.4's per-VMA
 * locks free it after a grace period, vm_area_free_rcu_cb(); 6.16's vma_state_init() makes the
 * cache SLAB_TYPESAFE_BY_RCU instead).
 * Here a VMA freed during a syscall is reused only from the next syscall on, so no code holding
 * it within the call sees it change. Why model it at all: recycling keeps a long-lived process's
 * VMAs out of the garbage collector's way, as the slab keeps them out of the page allocator's.
 * @module
 */
import { Vma } from "./vma.ts";
import type { File } from "./file.ts";

/** Freed VMAs kept for reuse at most (a slab keeps a bounded number of free objects too). */
const FREE_LIMIT = 4096;

export class VmaCache {
  /** Freed in the current syscall: still visible to code that looked them up (RCU readers). */
  private readonly pending: Vma[] = [];
  /** Past a grace period: ready for vm_area_alloc(). */
  private readonly free: Vma[] = [];

  /** vm_area_alloc() + vma_init(): a VMA with every field reset. */
  alloc(id: number, start: number, end: number, flagsLo: number, flagsHi: number,
    pgoff: number, file: File | null): Vma {
    const v = this.free.pop();
    if (!v) return new Vma(id, start, end, flagsLo, flagsHi, pgoff, file);
    v.reinit(id, start, end, flagsLo, flagsHi, pgoff, file);
    return v;
  }

  /** vm_area_free(): the VMA has left the tree; it is reused after the next grace period. */
  release(v: Vma): void {
    if (this.pending.length + this.free.length < FREE_LIMIT) this.pending.push(v);
  }

  /** A grace period has passed (a syscall ended): what was freed may be handed out again. */
  gracePeriod(): void {
    const p = this.pending;
    while (p.length) this.free.push(p.pop()!);
  }
}
