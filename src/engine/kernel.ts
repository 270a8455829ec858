/**
 * The booted kernel: its version profile and configuration, sysctls, the VFS, the page
 * allocator, ksmd's hooks, the processes, and the step trace.
 * @module
 */
import { VmaCache } from "./vma_cache.ts";
import { fail } from "./errno.ts";
import type { Inode } from "./file.ts";
import { Mm } from "./mm.ts";
import { PageAlloc, type Page } from "./page.ts";
import { Process } from "./process.ts";
import { loadImage } from "./exec.ts";
import { Tracer, type Step } from "./trace.ts";
import { LATEST_VERSION, resolveVersion, type VersionProfile } from "./version.ts";
import { Vfs } from "./vfs.ts";
import { DEFAULT_MAX_MAP_COUNT } from "./uapi.ts";
import { Ksmd } from "./ksmd/index.ts";

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

/** What ksmd needs to hear from the VMA code (mm/ksm.c entry points). */
export interface KsmHooks {
  /** __ksm_enter(): the mm joins ksmd's list. */
  enter(mm: Mm): void;
  /** __ksm_exit(): the mm leaves it (exit, exec). */
  exit(mm: Mm): void;
  /** unmerge_ksm_pages() ran over [start, end). */
  unmerged(mm: Mm, start: number, end: number): void;
  /** PTEs in [start, end) were zapped (munmap, MADV_DONTNEED, exit). */
  unmapped(mm: Mm, start: number, end: number): void;
}

/** Options of {@link boot}. */
export interface BootOptions {
  /** Kernel version, e.g. "6.16" or a `uname -r` string; default: the scenario's selected version, else the newest. */
  version?: string;
  /** vm.max_map_count (default 65530). */
  maxMapCount?: number;
  /** Record the step trace (default true; turn off for benchmarks and large fuzz runs). */
  trace?: boolean;
  /** Kconfig options. */
  config?: Partial<KernelConfig>;
}

export class Kernel {
  /** The version profile in force. */
  readonly profile: VersionProfile;
  readonly config: KernelConfig;
  /** vm.max_map_count. */
  maxMapCount: number;
  /** @internal */
  readonly tracer: Tracer;
  /** @internal vm_area_cachep: freed VMAs, reused after a grace period (one syscall). */
  readonly vmaCache = new VmaCache();
  /** @internal */
  readonly vfs = new Vfs();
  /** @internal */
  readonly pages = new PageAlloc();
  /** ksmd: scanning, /sys/kernel/mm/ksm and per-process KSM files. */
  readonly ksmd: Ksmd;
  /** @internal ksmd's entry points, as the VMA code calls them. */
  get ksmHooks(): KsmHooks {
    return this.ksmd;
  }
  private readonly procs = new Map<number, Process>();
  private readonly caches = new Map<Inode, Map<number, Page>>();
  private ids = 1;
  private nextPid = 1000;

  constructor(opts: BootOptions = {}) {
    this.profile = resolveVersion(opts.version ?? LATEST_VERSION);
    this.config = { softDirty: true, anonVmaName: true, ...opts.config };
    this.maxMapCount = opts.maxMapCount ?? DEFAULT_MAX_MAP_COUNT;
    this.tracer = new Tracer(opts.trace ?? true);
    this.ksmd = new Ksmd(this);
  }

  /** Read a file under /sys/kernel/mm/ksm/, e.g. kernel.sysfs("pages_sharing"). */
  sysfs(name: string): string {
    return this.ksmd.readSysfs(name);
  }

  /** Write a file under /sys/kernel/mm/ksm/, e.g. kernel.writeSysfs("run", "1"). */
  writeSysfs(name: string, value: string | number): void {
    this.ksmd.writeSysfs(name, String(value));
  }

  /** The kernel version this kernel models, e.g. "6.16". */
  get version(): string {
    return this.profile.name;
  }

  /** Every recorded step, across processes, in order. */
  get trace(): Step[] {
    return this.tracer.steps;
  }

  /** Live processes. */
  get processes(): Process[] {
    return [...this.procs.values()];
  }

  /** Look up a live process by pid. */
  process(pid: number): Process | undefined {
    return this.procs.get(pid);
  }

  /**
   * A new process running /usr/bin/app, with the layout a dynamically linked program has right
   * after startup (program, heap, libc, ld.so, vDSO, stack), address randomisation off.
   */
  spawn(): Process {
    const p = this.newProcess();
    this.quiet(() => loadImage(p.mm));
    this.tracer.begin();
    this.tracer.end({ pid: p.pid, syscall: "spawn", args: ["/usr/bin/app"], text: `spawn("/usr/bin/app") = ${p.pid}`, ret: p.pid, errno: null, vmaDelta: p.vmaDelta(), mapCount: p.map_count });
    return p;
  }

  /**
   * Read or set a sysctl: "vm.max_map_count" is modelled.
   * @returns the value after the call.
   */
  sysctl(name: string, value?: number): number {
    if (name !== "vm.max_map_count") fail("ENOENT", "sysctl", `${name} is not modelled (only vm.max_map_count is)`);
    if (value !== undefined) {
      if (!Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1) fail("EINVAL", "sysctl", `vm.max_map_count must be an int >= 0, got ${value}`);
      this.maxMapCount = value;
      // Recorded so that replays (the C export, the conformance harness) can apply it too.
      this.tracer.begin();
      this.tracer.end({ pid: 0, syscall: "sysctl", args: [name, value], text: `sysctl ${name}=${value}`, ret: value, errno: null, vmaDelta: null, mapCount: 0 });
    }
    return this.maxMapCount;
  }

  /** @internal A process with an empty mm. */
  newProcess(): Process {
    const pid = this.nextPid++;
    const p = new Process(this, pid, new Mm(this, pid));
    this.procs.set(pid, p);
    return p;
  }

  /** @internal */
  reap(pid: number): void {
    this.procs.delete(pid);
  }

  /** @internal Identity for VMAs, anon_vmas: like a pointer. */
  nextId(): number {
    return this.ids++;
  }

  /** @internal The page cache of an inode (shared file pages). */
  pageCache(inode: Inode): Map<number, Page> {
    let c = this.caches.get(inode);
    if (!c) this.caches.set(inode, (c = new Map()));
    return c;
  }

  /** @internal Run kernel-internal work (exec's loader) without recording steps. */
  quiet<T>(fn: () => T): T {
    const on = this.tracer.on;
    this.tracer.on = false;
    try {
      return fn();
    } finally {
      this.tracer.on = on;
    }
  }
}
