/**
 * Turns an engine trace (kernel.trace: Step[]) into replayer requests.
 *
 * Addresses: the engine's layout (spawn()) and the replaying process's differ, so the addresses a
 * scenario uses are grouped into clusters (ranges closer than CLUSTER_GAP) and each cluster is
 * moved by a fixed delta to a part of the replayer's address space nothing else uses (from
 * RELOC_BASE on, keeping the offset inside a 1 GiB unit so every alignment is kept). The heap is
 * moved by start_brk(replayer) - start_brk(engine). Addresses in no cluster (bad input: beyond
 * TASK_SIZE, below mmap_min_addr) are passed unchanged; the replayer refuses any that would touch
 * its own mappings. A non-fixed mmap is replayed with the engine's result as its hint, so the
 * kernel checks the same merge but not the engine's choice of address (layouts differ).
 */
import { vmasAt, type Step, type VmaView } from "mergeable";
import { n } from "./replayer.ts";
import { TMP } from "./replayer.ts";
import { existsSync } from "node:fs";

export const P = 4096;
const GiB = 0x40000000;
/** Where translated clusters go in the replayer: far from its text, heap, libraries and stack. */
const RELOC_BASE = 0x200000000000;
/** Where vm.max_map_count fillers go: above every cluster and the heap (PIE, 0x55...), below the libraries, so dumps stop before reading them. */
const FILL_BASE = 0x600000000000;
const CLUSTER_GAP = 64 * 1024 * 1024;
const TASK_SIZE = 0x7ffffffff000;
const MMAP_MIN_ADDR = 0x10000;

const MAP_FIXED = 0x10, MAP_FIXED_NOREPLACE = 0x100000;
const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
const O_CREAT = 0o100;

export interface Region {
  /** Engine coordinates. */
  lo: number;
  hi: number;
  /** Replayer address = engine address + delta. */
  delta: number;
  /** "stack": the [stack] VMA, compared by perms and VmFlags only (its size differs). */
  kind: "mmap" | "heap" | "stack";
}

export interface PlannedStep {
  step: Step;
  /** The engine's VMAs of the step's process after it (vmasAt()). */
  vmas: VmaView[];
  slot: number;
  /** Index in requests of the call's answer, or null when nothing is sent (e.g. sysctl). */
  op: number | null;
  /** Index of a check made before the call (mremap: "the kernel cannot expand in place either"). */
  pre: number | null;
  /** Index of the dump of this slot's regions after the call. */
  dump: number | null;
  /** How the replay differs from the literal call, for the report. */
  note: string;
}

export interface Plan {
  requests: string[];
  steps: PlannedStep[];
  regions: Region[];
  /** Final dumps per slot (engine pid → request index). */
  finals: { pid: number; slot: number; dump: number }[];
  /** Why this trace cannot be replayed ("" when it can). */
  unsupported: string;
  /** Replayer path → engine path, to compare VMA names. */
  paths: Map<string, string>;
  /** Engine start_brk per pid, when known. */
  startBrk: number | null;
  /** spawn() VMAs recreated in the replayer (compared like the scenario's own). */
  recreated: VmaView[];
  /** VMAs of the engine's fresh layouts (spawn, execve), not compared unless a scenario changed them. */
  layouts: VmaView[];
}

export interface PlanOptions {
  /** The engine process's mm->start_brk (spawn() layout), if the harness knows it. */
  engineStartBrk?: number | null;
  /** Dump after every step (true) or only at the end (false: fast path of the fuzzer). */
  dumpEachStep?: boolean;
  /** Unique per run: names of /dev/shm and ext4 files. */
  tag?: string;
  /** The engine kernel names anonymous VMAs (CONFIG_ANON_VMA_NAME=y) and the running one does not. */
  anonVmaNamesDiffer?: boolean;
}

const num = (x: number | string | undefined): number => (typeof x === "number" ? x : Number(x ?? 0));
/** Up to 4 TiB: overcommit scenarios map 1 TiB (relocated like any range; 48 TiB are free for that). */
const inUser = (a: number, len: number): boolean => a >= MMAP_MIN_ADDR && a < TASK_SIZE && len > 0 && len <= 4096 * GiB && a + len <= TASK_SIZE;

/** Address intervals a step uses, in engine coordinates (only plausible user ranges). */
function intervals(s: Step, clipped = false): [number, number][] {
  const a = s.args.map(num);
  const out: [number, number][] = [];
  const add = (lo: number, len: number) => {
    if (inUser(lo, len)) out.push([Math.floor(lo / P) * P, Math.ceil((lo + len) / P) * P]);
    // `clipped`: also the user part of a range that runs past TASK_SIZE (it may still touch VMAs).
    else if (clipped && lo >= MMAP_MIN_ADDR && lo < TASK_SIZE && len > 0) out.push([Math.floor(lo / P) * P, TASK_SIZE]);
  };
  switch (s.syscall) {
    case "mmap":
      if (s.ret !== null) add(s.ret, a[1]!);
      else if (a[3]! & (MAP_FIXED | MAP_FIXED_NOREPLACE)) add(a[0]!, a[1]!);
      break;
    case "munmap": case "mprotect": case "madvise": case "mseal": case "mlock": case "mlock2": case "munlock":
      add(a[0]!, a[1]!);
      break;
    case "mremap":
      add(a[0]!, Math.max(a[1]!, a[2]!));
      if (a[3]! & MREMAP_FIXED) add(a[4]!, a[2]!);
      if (s.ret !== null) add(s.ret, a[2]!);
      break;
    case "poke":
      add(a[0]!, 1);
      break;
    case "memset":
      add(a[0]!, Math.max(1, a[2]!));
      break;
  }
  return out;
}

/** The VMAs after a step of `trace` (which holds the step itself). */
export function stepVmas(trace: Step[]): (s: Step) => VmaView[] {
  const index = new Map(trace.map((s, i) => [s, i]));
  return (s) => vmasAt(trace, index.get(s)!);
}

export function heapStart(trace: Step[]): number | null {
  const spawn = trace.find((s) => s.syscall === "spawn");
  const heap = spawn && stepVmas(trace)(spawn).find((v) => v.name === "[heap]");
  return heap ? heap.start : null;
}

/** Engine path → path the replayer opens. */
function realPath(path: string, tag: string): string {
  if (path === "/dev/zero") return path;
  const shm = /^\/dev\/shm\/(.+)$/.exec(path);
  if (shm) return `/dev/shm/mergeable-${tag}-${shm[1]!.replace(/[^\w.-]/g, "_")}`;
  return `${TMP}/files/${tag}-${path.replace(/^\/+/, "").replace(/[^\w.-]/g, "_")}`;
}

/** How many leading arguments of each call are C integers (poke's value may be a content string). */
const INTEGER_ARGS: Record<string, number> = {
  mmap: 6, munmap: 2, mprotect: 3, madvise: 3, mseal: 3, mremap: 5, brk: 1, ftruncate: 2, close: 1, poke: 1, memset: 3,
  mlock: 2, mlock2: 3, munlock: 2, fcntl: 3, mlockall: 1,
};

export function plan(trace: Step[], opts: PlanOptions = {}): Plan {
  const tag = opts.tag ?? "t";
  const dumpEach = opts.dumpEachStep ?? true;
  const requests: string[] = [];
  const steps: PlannedStep[] = [];
  const paths = new Map<string, string>();
  const vmasOf = stepVmas(trace);
  const out: Plan = { requests, steps, regions: [], finals: [], unsupported: "", paths, startBrk: null, recreated: [], layouts: [] };

  // Heap: [start_brk, highest break used).
  const startBrk = opts.engineStartBrk ?? heapStart(trace);
  out.startBrk = startBrk;
  let heapHi = startBrk ?? 0;
  for (const s of trace) {
    if (s.syscall === "brk") {
      heapHi = Math.max(heapHi, num(s.args[0]), s.ret ?? 0);
    }
  }
  if (startBrk !== null) heapHi = Math.max(heapHi, ...trace.flatMap((s) => vmasOf(s).filter((v) => v.name === "[heap]").map((v) => v.end)));
  const inHeap = (lo: number, hi: number) => startBrk !== null && lo < heapHi + P && hi > startBrk;

  // Clusters of mmap-area addresses.
  const ivs = trace.flatMap((s) => intervals(s)).filter(([lo, hi]) => !inHeap(lo, hi)).sort((x, y) => x[0] - y[0]);
  // Anonymous VMAs of the spawn() layout that touch a used range (e.g. the anonymous mapping just
  // below libc, next to which a top-down mmap lands) are recreated in the replayer, so that a
  // merge with them happens on both sides. File-backed ones (libraries) cannot be.
  const spawnStep = trace.find((s) => s.syscall === "spawn");
  /** The VMAs of every fresh layout (spawn() and execve()): the engine's, not the scenario's. */
  out.layouts = trace.filter((s) => s.syscall === "spawn" || (s.syscall === "execve" && !s.errno)).flatMap(vmasOf);
  const neighbours = (spawnStep ? vmasOf(spawnStep) : []).filter(
    (v) => v.file === null && !v.name.startsWith("[") && ivs.some(([lo, hi]) => v.start <= hi && v.end >= lo),
  );
  for (const v of neighbours) ivs.push([v.start, v.end]);
  out.recreated = neighbours;
  // A call on the spawn() layout itself (libraries, [vvar], [stack]...) cannot be replayed: the
  // replaying process has its own layout there.
  const fixedLayout = (spawnStep ? vmasOf(spawnStep) : []).filter((v) => !neighbours.includes(v) && v.name !== "[heap]");
  // Boundaries only: prctl(PR_SET_MEMORY_MERGE) legitimately sets "mg" on the whole layout.
  const layoutKey = (v: VmaView) => `${v.start}-${v.end}`;
  const prevKeys = new Map<number, Set<string>>();
  for (const s of trace) {
    for (const [lo, hi] of intervals(s)) {
      const hit = fixedLayout.find((v) => v.start < hi && v.end > lo);
      if (hit) {
        out.unsupported = `step ${s.seq} (${s.text}) operates on the spawn() layout's ${hit.name || "anonymous VMA"} at ${n(hit.start)}: the replaying process has its own layout there`;
        return out;
      }
    }
    // Also a call that changed a VMA of that layout (e.g. an mprotect() running past TASK_SIZE
    // that applied to the top of the engine's stack before failing).
    const before = prevKeys.get(s.pid);
    const vmas = vmasOf(s);
    const after = new Set(vmas.map(layoutKey));
    if (before && s.syscall !== "execve" && s.syscall !== "spawn") {
      const changed = fixedLayout.find((v) => before.has(layoutKey(v)) && !after.has(layoutKey(v)));
      if (changed) {
        out.unsupported = `step ${s.seq} (${s.text}) changed the spawn() layout's ${changed.name || "anonymous VMA"} at ${n(changed.start)}: the replaying process has its own layout there`;
        return out;
      }
    }
    if (vmas.length) prevKeys.set(s.pid, after);
  }
  ivs.sort((x, y) => x[0] - y[0]);
  const clusters: [number, number][] = [];
  for (const [lo, hi] of ivs) {
    const last = clusters[clusters.length - 1];
    if (last && lo <= last[1] + CLUSTER_GAP) last[1] = Math.max(last[1], hi);
    else clusters.push([lo, hi]);
  }
  let slotBase = RELOC_BASE;
  for (const [lo, hi] of clusters) {
    const unit = Math.floor(lo / GiB) * GiB;
    const delta = slotBase - unit;
    out.regions.push({ lo, hi, delta, kind: "mmap" });
    slotBase += Math.ceil((hi - unit) / GiB) * GiB + GiB;
    if (slotBase >= FILL_BASE) { out.unsupported = "scenario spans more address space than the replayer relocates (48 TiB)"; return out; }
  }
  // The heap region's delta is only known in the replayer: requests use "H+<offset>" there.
  const heapRegion: Region | null = startBrk !== null ? { lo: startBrk, hi: Math.max(heapHi, startBrk + P), delta: NaN, kind: "heap" } : null;
  if (heapRegion) out.regions.push(heapRegion);

  const tr = (addr: number): string => {
    for (const r of out.regions) {
      if (r.kind === "mmap" && addr >= r.lo - P && addr < r.hi + P) return n(addr + r.delta);
    }
    if (heapRegion && addr >= heapRegion.lo && addr < heapRegion.hi + 64 * P) return `H+${n(addr - heapRegion.lo)}`;
    return n(addr);
  };

  const slots = new Map<number, number>();
  let nextSlot = 0;
  let filled = false;
  const dumpReq = (slot: number, stack = false): string => {
    const ranges = out.regions.map((r) => (r.kind === "mmap" ? `${n(r.lo + r.delta)} ${n(r.hi + r.delta)}` : `H+0 H+${n(r.hi - r.lo)}`));
    // [stack] is compared by perms and VmFlags (its place differs) where they can change:
    // prctl(PR_SET_MEMORY_MERGE), execve, and at the end. Not with fillers (the dump would read them all).
    return `${slot} dump ${stack && !filled ? "stack " : ""}${ranges.join(" ")}`;
  };
  const send = (line: string): number => requests.push(line) - 1;
  /** After spawn() or execve(): the worker's allowed ranges, heap and recreated neighbours. */
  const setupLayout = (slot: number, s: Step): void => {
    send(`${slot} getbrk`);
    for (const r of out.regions) if (r.kind === "mmap") send(`${slot} allow ${n(r.lo + r.delta - CLUSTER_GAP)} ${n(r.hi + r.delta + CLUSTER_GAP)}`);
    send(`${slot} allow ${n(FILL_BASE)} ${n(FILL_BASE + 64 * GiB)}`);
    if (heapRegion) {
      // Give the replayer's (empty) heap the engine's initial size, faulted like a used heap.
      const heap = vmasOf(s).find((v) => v.name === "[heap]");
      send(`${slot} heapinit ${n(heap ? heap.end - heap.start : 0)} ${heap && heap.anonVma !== null ? 1 : 0}`);
      send(`${slot} allow H+0 H+${n(64 * GiB)}`);
    }
    for (const v of neighbours) {
      if (!vmasOf(s).some((x) => x.start === v.start && x.end === v.end)) continue;
      const prot = (v.perms[0] === "r" ? 1 : 0) | (v.perms[1] === "w" ? 2 : 0) | (v.perms[2] === "x" ? 4 : 0);
      const extra = / nr( |$)/.test(v.vmflags) ? 0x4000 : 0;
      send(`${slot} mmap ${tr(v.start)} ${n(v.end - v.start)} ${prot} ${n(0x22 | 0x100000 | extra)} -1 0`);
      if (v.anonVma !== null) send(`${slot} memset ${tr(v.start)} 0 ${n(v.end - v.start)}`);
    }
  };
  let pendingFill: number | null = null;
  const opened = new Set<string>();
  const lastMapCount = new Map<number, number>();
  /** Engine fds of tmpfs files (memfd, /dev/shm). */
  const shmemFds = new Set<number>();

  for (const s of trace) {
    const a = s.args.map(num);
    // An argument no C caller could pass (a fraction, a string, an inexact bigint) was refused by
    // the engine before any kernel rule applied: there is nothing to ask the kernel.
    const cArgs = INTEGER_ARGS[s.syscall];
    const odd = cArgs ? s.args.slice(0, cArgs).find((x) => typeof x !== "number" || !Number.isInteger(x)) : undefined;
    if (odd !== undefined) { out.unsupported = `step ${s.seq} (${s.text}) has the argument ${JSON.stringify(odd)}, which no C caller can pass`; return out; }
    let slot = slots.get(s.pid) ?? -1;
    let op: number | null = null;
    let note = "";
    let pre: number | null = null;
    const need = (): boolean => {
      if (slot < 0) { out.unsupported = `step ${s.seq} (${s.syscall}) runs in pid ${s.pid}, which the replay does not know`; return false; }
      return true;
    };
    switch (s.syscall) {
      case "spawn": {
        // The first process is a fresh worker ("begin" also ends anything left over); each further
        // spawn() is another worker forked from the replayer's pristine master.
        const first = slots.size === 0;
        if (!first && (filled || pendingFill !== null)) { out.unsupported = "vm.max_map_count with several spawned processes"; return out; }
        slot = nextSlot++;
        if (slot >= 8) { out.unsupported = "more than 8 processes"; return out; }
        slots.set(s.ret ?? s.pid, slot);
        slots.set(s.pid, slot);
        op = send(first ? `${slot} begin` : `${slot} spawn`);
        setupLayout(slot, s);
        if (pendingFill !== null) { send(`${slot} fill ${pendingFill - s.mapCount} ${n(FILL_BASE)}`); filled = true; }
        break;
      }
      case "execve": {
        if (!need()) return out;
        if (filled) { out.unsupported = "execve() after vm.max_map_count fillers (exec drops them)"; return out; }
        if (s.errno) { out.unsupported = `a failing execve() (${s.errno.name}) is not replayed`; return out; }
        // The worker execs the replayer binary itself: a fresh address space in the same process.
        op = send(`${slot} execve`);
        setupLayout(slot, s);
        note = "execve() replayed as an exec of the replayer binary: only the window, the heap and [stack]'s VmFlags are compared";
        break;
      }
      case "sysctl": {
        if (s.args[0] !== "vm.max_map_count") { out.unsupported = `sysctl ${s.args[0]} is not replayed`; return out; }
        if (slots.size === 0) { pendingFill = a[1]!; break; }
        if (slots.size > 1) { out.unsupported = "vm.max_map_count with several processes"; return out; }
        // Same distance to the limit as the engine's process has now.
        const main = [...slots.values()][0]!;
        const count = lastMapCount.get([...slots.keys()][0]!) ?? 0;
        op = send(`${main} fill ${a[1]! - count} ${n(FILL_BASE)}`);
        filled = true;
        slot = main;
        break;
      }
      case "mmap": {
        if (!need()) return out;
        let addr = a[0]!;
        const fixed = (a[3]! & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
        if (!fixed && s.ret !== null) { addr = s.ret; note = `non-fixed mmap replayed with the engine's address ${n(s.ret)} as hint`; }
        op = send(`${slot} mmap ${tr(addr)} ${n(a[1]!)} ${n(a[2]!)} ${n(a[3]!)} ${a[4]!} ${n(a[5] ?? 0)}`);
        break;
      }
      case "munmap": case "mprotect": case "madvise": case "mseal": case "mlock": case "munlock": case "mlock2": {
        if (!need()) return out;
        const two = s.syscall === "munmap" || s.syscall === "mlock" || s.syscall === "munlock";
        op = send(`${slot} ${s.syscall} ${tr(a[0]!)} ${n(a[1]!)}${two ? "" : " " + n(a[2]!)}`);
        break;
      }
      case "mlockall": case "munlockall": {
        if (!need()) return out;
        // MCL_CURRENT would also lock the replaying process's own VMAs, which the engine does not have.
        if (s.syscall === "mlockall" && a[0]! & 1 && !s.errno) { out.unsupported = `step ${s.seq} (${s.text}): MCL_CURRENT locks the replayer's own layout`; return out; }
        op = send(`${slot} ${s.syscall} ${n(a[0] ?? 0)}`);
        break;
      }
      case "fcntl": {
        if (!need()) return out;
        op = send(`${slot} fcntl ${a[0]!} ${n(a[1]!)} ${n(a[2] ?? 0)}`);
        break;
      }
      case "mremap": {
        if (!need()) return out;
        let flags = a[3]!, target = a[4] ?? 0;
        if ((flags & MREMAP_MAYMOVE) && !(flags & MREMAP_FIXED) && s.ret !== null && s.ret !== a[0]) {
          // The engine moved it; the kernel's own choice of address would differ, so the move is
          // made to the engine's address (mremap_to()), after checking the kernel cannot expand in place.
          pre = send(`${slot} mremap_noexpand ${tr(a[0]!)} ${n(a[1]!)} ${n(a[2]!)}`);
          flags |= MREMAP_FIXED;
          target = s.ret;
          note = `mremap moved by the engine to ${n(s.ret)}: replayed with MREMAP_FIXED to the same place`;
        }
        op = send(`${slot} mremap ${tr(a[0]!)} ${n(a[1]!)} ${n(a[2]!)} ${n(flags)} ${flags & MREMAP_FIXED ? tr(target) : n(target)}`);
        break;
      }
      case "brk": {
        if (!need()) return out;
        if (!heapRegion) { out.unsupported = "brk without a known start_brk"; return out; }
        op = send(`${slot} brk ${a[0] === 0 ? "0" : tr(a[0]!)}`);
        break;
      }
      case "prctl": {
        if (!need()) return out;
        if (a[0] === 0x53564d41) {
          if (opts.anonVmaNamesDiffer) {
            out.unsupported = "the engine kernel has CONFIG_ANON_VMA_NAME=y and this kernel does not: prctl(PR_SET_VMA) names cannot be checked here";
            return out;
          }
          // PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name: the address is translated, the name passed as text.
          const name = String(s.args[4] ?? "");
          if (!/^[\x21-\x7e]*$/.test(name)) { out.unsupported = `prctl(PR_SET_VMA) name ${JSON.stringify(name)} has spaces or non-ASCII`; return out; }
          op = send(`${slot} prctl_set_vma ${n(a[1]!)} ${tr(a[2]!)} ${n(a[3]!)} ${name || "-"}`);
          break;
        }
        op = send(`${slot} prctl ${a.map((x) => n(x)).join(" ")}${" 0".repeat(Math.max(0, 5 - a.length))}`);
        break;
      }
      case "fork": {
        if (!need()) return out;
        if (s.ret === null) { op = send(`${slot} fork ${nextSlot}`); break; }
        const child = nextSlot++;
        if (child >= 8) { out.unsupported = "more than 8 processes"; return out; }
        slots.set(s.ret, child);
        op = send(`${slot} fork ${child}`);
        break;
      }
      case "open": {
        if (!need()) return out;
        const path = String(s.args[0]);
        if (path === "/dev/mem" && !existsSync("/dev/mem")) {
          out.unsupported = "this kernel has no /dev/mem (CONFIG_DEVMEM is not set): device (VM_IO|VM_PFNMAP) mappings cannot be checked here";
          return out;
        }
        const real = realPath(path, tag);
        paths.set(real, path);
        // ext4 files the engine treats as existing are created here, unless the scenario creates them.
        const flags = a[1]!;
        const local = real.startsWith(TMP) || real.startsWith("/dev/shm/");
        // The engine's files live as long as its kernel: start each trace from the same state.
        // A file the scenario creates is removed first; one the engine has preloaded is created
        // (1 MiB of zeroes, the size of /var/lib/mergeable/data.bin).
        if (local && !opened.has(real)) {
          if (flags & O_CREAT) send(`${slot} unlink ${real}`);
          else if (s.ret !== null) send(`${slot} mkfile ${real}`);
        }
        opened.add(real);
        op = send(`${slot} open ${real} ${n(flags)} ${n(a[2] ?? 0o600)} ${s.ret ?? -1}`);
        if (s.ret !== null) { if (real.startsWith("/dev/shm/")) shmemFds.add(s.ret); else shmemFds.delete(s.ret); }
        break;
      }
      case "memfd_create": {
        if (!need()) return out;
        op = send(`${slot} memfd ${String(s.args[0]).replace(/\s/g, "_")} ${n(a[1] ?? 0)} ${s.ret ?? -1}`);
        if (s.ret !== null) shmemFds.add(s.ret);
        break;
      }
      case "ftruncate": case "close": {
        if (!need()) return out;
        // An off_t holds at most 2^63 - 1: the engine's larger lengths are replayed as that (EFBIG on ext4).
        const big = s.syscall === "ftruncate" && a[1]! >= 2 ** 63;
        if (big && shmemFds.has(a[0]!)) { out.unsupported = `step ${s.seq} (${s.text}): no off_t holds the length, and 2^63 - 1 fits tmpfs's s_maxbytes`; return out; }
        if (big) note = `length ${a[1]} replayed as 2^63 - 1, the largest off_t`;
        const len = big ? "0x7fffffffffffffff" : n(a[1] ?? 0);
        op = send(`${slot} ${s.syscall} ${a[0]!}${s.syscall === "ftruncate" ? " " + len : ""}`);
        break;
      }
      case "poke": {
        if (!need()) return out;
        op = send(`${slot} poke ${tr(a[0]!)} ${n(a[1]! & 0xff)}`);
        break;
      }
      case "memset": {
        if (!need()) return out;
        op = send(`${slot} memset ${tr(a[0]!)} ${n(a[1]! & 0xff)} ${n(a[2]!)}`);
        break;
      }
      default:
        out.unsupported = `${s.syscall}() is not replayed on the real kernel`;
        return out;
    }
    lastMapCount.set(s.pid, s.mapCount);
    const dump = dumpEach && slot >= 0 && s.syscall !== "sysctl" ? send(dumpReq(slot, s.syscall === "prctl" || s.syscall === "execve")) : null;
    steps.push({ step: s, vmas: vmasOf(s), slot, op, pre, dump, note });
  }
  for (const [pid, slot] of slots) if (!out.finals.some((f) => f.slot === slot)) out.finals.push({ pid, slot, dump: send(dumpReq(slot, true)) });
  send("0 end");
  return out;
}

/** The engine's VMAs of a region, as the comparison sees them. */
export function engineVmas(vmas: VmaView[], r: Region): VmaView[] {
  return vmas.filter((v) => v.start < r.hi && v.end > r.lo);
}
