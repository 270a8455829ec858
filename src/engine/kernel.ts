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
import type { KernelConfig, KsmHooks, Overcommit, OvercommitMode, ProcessHost } from "./host.ts";
import { DEFAULT_RAM_BYTES } from "./overcommit.ts";

export type { KernelConfig } from "./host.ts";

/** Options of {@link boot}. */
export interface BootOptions {
  /** Kernel version, e.g. "6.16" or a `uname -r` string; default: the scenario's selected version, else the newest. */
  version?: string;
  /** vm.max_map_count (default 65530). */
  maxMapCount?: number;
  /** Record the step trace (default true; turn off for benchmarks and large fuzz runs). */
  trace?: boolean;
  /** Steps recorded in full, with events and VMA changes (default all); later steps are brief (Step.brief). */
  traceDetail?: number;
  /** Kconfig options. */
  config?: Partial<KernelConfig>;
  /** vm.overcommit_memory: 0 heuristic (default), 1 always, 2 never (strict, CommitLimit). */
  overcommitMemory?: OvercommitMode;
  /** vm.overcommit_ratio, the percent of RAM that mode 2 allows (default 50). */
  overcommitRatio?: number;
  /** The machine's RAM in bytes, MemTotal (default 16 GiB): what overcommit weighs commitments against. */
  ramBytes?: number;
  /** The machine's swap in bytes, SwapTotal (default 0). */
  swapBytes?: number;
}

export class Kernel implements ProcessHost<Mm, Process> {
  /** The version profile in force. */
  readonly profile: VersionProfile;
  readonly config: KernelConfig;
  /** vm.max_map_count. */
  maxMapCount: number;
  /** vm.overcommit_memory, vm.overcommit_ratio and the machine's RAM and swap (mm/util.c __vm_enough_memory()). */
  readonly overcommit: Overcommit;
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
  get ksmHooks(): KsmHooks<Mm> {
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
    this.overcommit = bootOvercommit(opts);
    this.tracer = new Tracer(opts.trace ?? true, opts.traceDetail);
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

  /** @internal Host.liveMms(). */
  liveMms(): Mm[] {
    return this.processes.map((p) => p.mm);
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
    this.tracer.end({
      pid: p.pid, syscall: "spawn", args: ["/usr/bin/app"], text: `spawn("/usr/bin/app") = ${p.pid}`, ret: p.pid,
      errno: null, vmaDelta: this.tracer.delta(() => p.vmaDelta()), mapCount: p.map_count,
    });
    return p;
  }

  /**
   * Read or set a sysctl: "vm.max_map_count" is modelled.
   * @returns the value after the call.
   */
  sysctl(name: string, value?: number): number {
    if (name !== "vm.max_map_count") fail("ENOENT", "sysctl", `${name} is not modelled (only vm.max_map_count is)`);
    if (value !== undefined) {
      if (!Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1) {
        fail("EINVAL", "sysctl", `vm.max_map_count must be an int >= 0, got ${value}`);
      }
      this.maxMapCount = value;
      // Recorded so that replays (the C export, the conformance harness) can apply it too.
      this.tracer.begin();
      this.tracer.end({
        pid: 0, syscall: "sysctl", args: [name, value], text: `sysctl ${name}=${value}`, ret: value, errno: null,
        vmaDelta: null, mapCount: 0,
      });
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
    const on = this.tracer.recording;
    this.tracer.recording = false;
    try {
      return fn();
    } finally {
      this.tracer.recording = on;
    }
  }
}

/** The overcommit boot options, checked: a bad one is EINVAL, as writing the sysctl would be. */
function bootOvercommit(opts: BootOptions): Overcommit {
  const o: Overcommit = {
    mode: opts.overcommitMemory ?? 0,
    ratio: opts.overcommitRatio ?? 50,
    ramBytes: opts.ramBytes ?? DEFAULT_RAM_BYTES,
    swapBytes: opts.swapBytes ?? 0,
  };
  if (o.mode !== 0 && o.mode !== 1 && o.mode !== 2) {
    fail("EINVAL", "boot", `overcommitMemory must be 0, 1 or 2, got ${String(o.mode)}`);
  }
  if (!Number.isInteger(o.ratio) || o.ratio < 0) {
    fail("EINVAL", "boot", `overcommitRatio must be an integer >= 0, got ${o.ratio}`);
  }
  for (const [name, v] of [["ramBytes", o.ramBytes], ["swapBytes", o.swapBytes]] as const) {
    if (!Number.isSafeInteger(v) || v < 0 || v % 4096) {
      fail("EINVAL", "boot", `${name} must be a whole number of 4 KiB pages, got ${v}`);
    }
  }
  if (o.ramBytes === 0) fail("EINVAL", "boot", "ramBytes must not be 0");
  return o;
}
