/**
 * The narrow kernel context the code below kernel.ts reaches through `mm.kernel`,
 * `process.kernel` and `ksmd.kernel`: the version profile, Kconfig, sysctls, the trace, the
 * allocators and ksmd's entry points. `Kernel` implements it. This file imports types only, and
 * only from modules that import nothing of mm, process or ksmd, so no import cycle closes here.
 *
 * The types that would point back (Mm, Process) are parameters: `Host<Mm>` in mm.ts,
 * `ProcessHost<Mm, Process>` in process.ts. Members are @internal where Kernel's are, so the
 * editor's declarations (emitted with stripInternal) still show a Kernel that implements them.
 * @module
 */
import type { Inode } from "./file.ts";
import type { Page, PageAlloc } from "./page.ts";
import type { Tracer } from "./trace.ts";
import type { VersionProfile } from "./version.ts";
import type { Vfs } from "./vfs.ts";
import type { VmaCache } from "./vma_cache.ts";

/** Build-time options of the simulated kernel (Kconfig). */
export interface KernelConfig {
  /**
   * CONFIG_MEM_SOFT_DIRTY: VM_SOFTDIRTY ("sd") is set on new VMAs. On in Debian, Ubuntu and
   * Fedora kernels; off in some minimal kernels (such as the 6.18 that runs our tests).
   */
  softDirty: boolean;
  /** CONFIG_ANON_VMA_NAME: prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME) works (else EINVAL). */
  anonVmaName: boolean;
}

/** vm.overcommit_memory: 0 = OVERCOMMIT_GUESS (heuristic), 1 = OVERCOMMIT_ALWAYS, 2 = OVERCOMMIT_NEVER. */
export type OvercommitMode = 0 | 1 | 2;

/** The sysctls and machine sizes __vm_enough_memory() reads (mm/util.c). */
export interface Overcommit {
  mode: OvercommitMode;
  /** vm.overcommit_ratio (percent of RAM mode 2 allows, default 50). */
  ratio: number;
  /** totalram_pages() in bytes (MemTotal). */
  ramBytes: number;
  /** total_swap_pages in bytes (SwapTotal). */
  swapBytes: number;
}

/** What ksmd needs to hear from the VMA code (mm/ksm.c entry points); `M` is the Mm. */
export interface KsmHooks<M> {
  /** __ksm_enter(): the mm joins ksmd's list. */
  enter(mm: M): void;
  /** __ksm_exit(): the mm leaves it (exit, exec). */
  exit(mm: M): void;
  /** unmerge_ksm_pages() ran over [start, end). */
  unmerged(mm: M, start: number, end: number): void;
  /** PTEs in [start, end) were zapped (munmap, MADV_DONTNEED, exit). */
  unmapped(mm: M, start: number, end: number): void;
  /** ksm_fork() and dup_mm(): the child's KSM counters start from the parent's. */
  fork(parent: M, child: M): void;
  /** @internal The mm's KSM counters (mm->ksm_zero_pages and co.): what a KSM zero PTE is counted against. */
  mmKsm(mm: M): object;
}

/** What an mm and the VMA code need from the kernel; `M` is the Mm. */
export interface Host<M> {
  /** The version profile in force. */
  readonly profile: VersionProfile;
  readonly config: KernelConfig;
  /** vm.max_map_count. */
  readonly maxMapCount: number;
  /** @internal The step trace; `tracer.on` false: nothing is recorded or formatted. */
  readonly tracer: Tracer;
  /** @internal vm_area_cachep: freed VMAs, reused after a grace period (one syscall). */
  readonly vmaCache: VmaCache;
  /** @internal */
  readonly vfs: Vfs;
  /** @internal */
  readonly pages: PageAlloc;
  /** vm.overcommit_memory, vm.overcommit_ratio and the machine's RAM and swap. */
  readonly overcommit: Overcommit;
  /** @internal Every live mm: vm_committed_as is machine-wide (overcommit mode 2). */
  liveMms(): M[];
  /** @internal ksmd's entry points, as the VMA code calls them. */
  readonly ksmHooks: KsmHooks<M>;
  /** @internal Identity for VMAs, anon_vmas: like a pointer. */
  nextId(): number;
  /** @internal The page cache of an inode (shared file pages). */
  pageCache(inode: Inode): Map<number, Page>;
}

/** /proc/PID/ksm_stat and /proc/PID/ksm_merging_pages, which ksmd answers. */
export interface KsmProcFiles<M> {
  procKsmStat(mm: M): string;
  procKsmMergingPages(mm: M): string;
}

/** What a process needs beyond its mm: a child for fork, reaping at exit, exec's quiet loader. */
export interface ProcessHost<M, P> extends Host<M> {
  readonly ksmd: KsmProcFiles<M>;
  /** @internal A process with an empty mm (fork's child). */
  newProcess(): P;
  /** @internal The pid leaves the process table (exit). */
  reap(pid: number): void;
  /** @internal Run kernel-internal work (exec's loader) without recording steps. */
  quiet<T>(fn: () => T): T;
}
