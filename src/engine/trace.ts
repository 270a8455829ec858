/**
 * The step trace: every syscall records its call, result or errno, the VMAs it changed, and events
 * that explain what the kernel did and why. A teaching instrument the kernel does not have
 * (its nearest relatives are the mmap tracepoints); pages, the CLI and tests all read it.
 * @module
 */

import { callText, resultText } from "./syscall_text.ts";

/** What kind of thing happened inside a call. */
export type EventKind = "merge" | "nomerge" | "split" | "new" | "remove" | "flags" | "ksm" | "fault" | "info";

/** One explanation: what the kernel did, in kernel terms, naming the function modelled. */
export interface TraceEvent {
  kind: EventKind;
  /** The kernel function this models, e.g. "vma_merge_new_range". */
  fn: string;
  text: string;
  start?: number;
  end?: number;
}

/** A VMA as pages and tests see it (plain data). */
export interface VmaView {
  start: number;
  end: number;
  /** vm_flags in hex, e.g. "0x80100073". */
  flags: string;
  /** The smaps VmFlags mnemonics, e.g. "rd wr mr mw me ac sd mg". */
  vmflags: string;
  /** maps permission column, e.g. "rw-p". */
  perms: string;
  /** vm_pgoff in pages. */
  pgoff: number;
  /** maps name column ("" when none). */
  name: string;
  /** Path of vm_file, or null for anonymous memory. */
  file: string | null;
  /** anon_vma identity, or null before the first write fault. */
  anonVma: number | null;
  /** anon_vma_chain not singular (inherited through fork). */
  forkChild: boolean;
}

/** What one step changed in its process's VMA list. */
export interface VmaDelta {
  /** `set` is the whole list: the process's first snapshot, or the first after one above the limit. */
  full: boolean;
  /** VMAs created or changed (any VmaView field), in address order. */
  set: VmaView[];
  /** Starts of VMAs gone: no VMA starts there any more. */
  removed: number[];
}

/** One call and what it did. */
export interface Step {
  seq: number;
  pid: number;
  syscall: string;
  args: (number | string)[];
  /** strace-like text: `mmap(NULL, 16384, PROT_READ|PROT_WRITE, ...) = 0x7ffff7ff8000`. */
  text: string;
  ret: number | null;
  errno: null | { name: string; code: number; message: string };
  events: TraceEvent[];
  /** What the call changed in its process's VMAs (null: pid 0, or too many VMAs); read with vmasAt(). */
  vmaDelta: VmaDelta | null;
  mapCount: number;
  /** Set past the tracer's `detail` steps: the call and result only, no events and no VMAs recorded. */
  brief?: true;
}

/** How often (in syscalls) Tracer.onTick is called. */
export const SYSCALL_TICK = 1024;

/**
 * Collects steps; when off (benchmarks, fuzzing at scale) events are not even formatted. Past
 * `detail` steps a step is brief: its call and result are kept (a step list, a map_count chart)
 * but no event is formatted and no VMA is walked: a 65,530-mmap run in the page need not explain
 * 64,000 calls nobody reads.
 */
export class Tracer {
  readonly steps: Step[] = [];
  private events: TraceEvent[] | null = null;
  /** Steps are recorded at all (off: benchmarks, fuzzing, the loader's work inside Kernel.quiet()). */
  recording: boolean;
  /** The current step is brief (past `detail`): `on` is false for it. */
  brief = false;
  /** Syscalls made so far (Process.sys() counts them), recorded or not. */
  calls = 0;
  /** Called every SYSCALL_TICK calls (a page's progress report); null: nobody asked. */
  onTick: ((calls: number) => void) | null = null;
  /** @param detail steps recorded in full (events and VMA changes); later ones are brief. */
  constructor(on: boolean, readonly detail = Infinity) {
    this.recording = on;
  }

  /** Events of the current call are formatted: recording, and the step is not brief. */
  get on(): boolean {
    return this.recording && !this.brief;
  }

  /** Start collecting events for a call. */
  begin(): void {
    this.brief = this.steps.length >= this.detail;
    this.events = this.on ? [] : null;
  }

  /**
   * Record an event. The one convention of the engine: callers guard with `tracer.on &&` (ksmd:
   * `k.tracing &&`, merge reasons: `vmg.explain ?`), so that nothing is formatted when tracing is off.
   */
  event(kind: EventKind, fn: string, text: string, start?: number, end?: number): void {
    if (!this.events || !this.on) return;
    const e: TraceEvent = { kind, fn, text };
    if (start !== undefined) e.start = start;
    if (end !== undefined) e.end = end;
    this.events.push(e);
  }

  /**
   * `args`, or an equal list a recent step already keeps: a loop's steps repeat a few lists, and
   * one shared (never written) array per list is less for 65,530 steps to keep and to compare.
   */
  sharedArgs(args: (number | string)[]): (number | string)[] {
    const recent = this.recentArgs;
    for (const r of recent) if (r.length === args.length && r.every((x, k) => x === args[k])) return r;
    if (recent.unshift(args) > 4) recent.pop();
    return args;
  }
  private recentArgs: (number | string)[][] = [];

  /** Count one syscall, recorded or not. */
  count(): void {
    if (++this.calls % SYSCALL_TICK === 0 && this.onTick) this.onTick(this.calls);
  }

  /** Finish a call: the step is kept only when recording (brief past `detail`). */
  end(step: Omit<Step, "seq" | "events">): void {
    if (!this.recording) return;
    // Callers pass a fresh literal: completing it in place (same key order as a spread) saves a copy per step.
    const s = step as Step;
    s.seq = this.steps.length;
    if (!(s instanceof BriefStep)) s.events = this.events ?? [];
    if (this.brief && !s.brief) {
      s.vmaDelta = null;
      s.brief = true;
    }
    this.steps.push(s);
    this.events = null;
    this.brief = false;
  }

  /** The VMA changes of the current step, from `record`; null (not walked) for a brief step. */
  delta(record: () => VmaDelta | null): VmaDelta | null {
    return this.brief ? null : record();
  }
}

/** The events of every BriefStep: none (frozen, shared: one array fewer per step of a big run). */
const NO_EVENTS: TraceEvent[] = Object.freeze([]) as unknown as TraceEvent[];

/**
 * A brief step (past Tracer.detail) of a syscall: its text is formatted when read, so that a run of
 * 65,530 mmaps does not format 65,530 lines nobody shows (a getter on the class: spread or
 * Object.keys() do not see it; JSON does, through toJSON()).
 */
export class BriefStep implements Step {
  seq = 0;
  events: TraceEvent[] = NO_EVENTS;
  readonly vmaDelta = null;
  readonly brief = true;
  constructor(readonly pid: number, readonly syscall: string, readonly args: (number | string)[],
    readonly ret: number | null, readonly errno: Step["errno"], readonly mapCount: number) {}

  get text(): string {
    const errno = this.errno ? this.errno.name : null;
    return `${callText(this.syscall, this.args)} ${resultText(this.syscall, this.ret, errno)}`.trim();
  }

  toJSON(): Step {
    return { seq: this.seq, pid: this.pid, syscall: this.syscall, args: this.args, text: this.text, ret: this.ret,
      errno: this.errno, events: this.events, vmaDelta: null, mapCount: this.mapCount, brief: true };
  }
}

export const hexAddr = (n: number): string => "0x" + n.toString(16);
