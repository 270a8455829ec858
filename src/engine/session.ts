/**
 * Running a scenario: the same code on any kernel version. Inside `fn`, {@link boot} without a
 * version boots the version the runner chose — that is how the page's version selector, its
 * compare mode, the CLI's --kernel and the tests run one source on several kernels.
 * @module
 */
import { KernelError } from "./errno.ts";
import { Kernel, type BootOptions } from "./kernel.ts";
import type { Process } from "./process.ts";
import { vmaView } from "./procfs.ts";
import type { Step, VmaView } from "./trace.ts";
import { resolveVersion } from "./version.ts";

/** One kernel a scenario booted, after the scenario ran. */
export interface KernelResult {
  version: string;
  trace: Step[];
  processes: ProcessResult[];
  /** Syscalls made on this kernel (recorded or not). */
  syscalls: number;
}

/** A process at the end of the run. */
export interface ProcessResult {
  pid: number;
  maps: string;
  smaps: string;
  /** Its VMAs in address order; [] when there were more than RunOptions.vmasListed (see `lookup`). */
  vmas: VmaView[];
  /** mm->map_count at the end: vmas.length when they are listed. */
  mapCount: number;
  /**
   * Past RunOptions.vmasListed VMAs, the end state found by address instead (not enumerable, so
   * not posted or serialised). It reads the kernel, so it throws once anything ran on it after the run.
   */
  lookup?: VmaLookup;
}

/** The VMAs at the end of a run, found by address (vma_lookup(), find_vma() and a walk of the list). */
export interface VmaLookup {
  /** The VMA containing `addr`, or null. */
  at(addr: number): VmaView | null;
  /** How many VMAs overlap [start, end). */
  countIn(start: number, end: number): number;
  /** The VMAs overlapping [start, end), in address order, at most `limit`. */
  in(start: number, end: number, limit?: number): VmaView[];
}

/** What a scenario run produced: plain data, safe to post from a Worker. */
export interface ScenarioResult {
  /** The version the scenario was run on (its profile name). */
  version: string;
  kernels: KernelResult[];
  /** Set when the scenario threw: a refused syscall carries its errno and the step it failed at. */
  error: null | { name: string; message: string; errno?: string; syscall?: string; step?: number; stack?: string };
  /** What the scenario printed with console.log (captured by the runner). */
  log: string[];
}

interface Session {
  version: string;
  kernels: Kernel[];
  onSyscall?: (calls: number) => void;
  traceDetail?: number;
}

/** Options of {@link runScenario}. */
export interface RunOptions {
  version: string;
  /** Where console.log of the scenario went (returned as the result's log). */
  log?: string[];
  /**
   * Called every {@link SYSCALL_TICK} syscalls with the count so far on the kernel making them
   * (progress of a big run).
   */
  onSyscall?: (calls: number) => void;
  /**
   * Steps each kernel records in full (BootOptions.traceDetail, default all): a page that shows the
   * events of the first few thousand steps need not format them for the rest.
   */
  traceDetail?: number;
  /** Build each process's /proc/PID/smaps text (default true); false leaves it "" (nobody shows it). */
  smaps?: boolean;
  /** Lines of each process's /proc/PID/maps kept (default all): a page shows a screen of 65,530. */
  mapsLines?: number;
  /**
   * A process with more VMAs than this gets a `lookup` instead of a `vmas` list (default: always a
   * list). The page's run worker draws none of 65,530 VMAs; building their views was 9% of that run.
   */
  vmasListed?: number;
}

let current: Session | null = null;

/** The version boot() uses when given none: the running scenario's, else undefined. */
export function ambientVersion(): string | undefined {
  return current?.version;
}

/**
 * Boot a kernel.
 * @example
 * const kernel = boot({ version: "6.16" });
 * const p = kernel.spawn();
 */
export function boot(opts: BootOptions = {}): Kernel {
  const k = new Kernel({ traceDetail: current?.traceDetail, ...opts, version: opts.version ?? current?.version });
  if (current) {
    current.kernels.push(k);
    k.tracer.onTick = current.onSyscall ?? null;
  }
  return k;
}

/**
 * Snapshot a kernel for the result (`smaps` false: leave each process's smaps text ""; `mapsLines`:
 * keep the first lines of each maps text).
 */
export function kernelResult(k: Kernel, smaps = true, mapsLines?: number, vmasListed = Infinity): KernelResult {
  return {
    version: k.version,
    trace: k.trace,
    syscalls: k.tracer.calls,
    processes: k.processes.map((p) => {
      const listed = p.map_count <= vmasListed;
      const r: ProcessResult = {
        pid: p.pid, maps: p.maps(mapsLines), smaps: smaps ? p.smaps() : "", vmas: listed ? p.vmas() : [],
        mapCount: p.map_count,
      };
      if (!listed) Object.defineProperty(r, "lookup", { value: vmaLookup(k, p), enumerable: false });
      return r;
    }),
  };
}

/** A {@link VmaLookup} on `p` as it is now; it refuses to answer once the kernel has moved on. */
function vmaLookup(k: Kernel, p: Process): VmaLookup {
  const calls = k.tracer.calls, steps = k.trace.length;
  const tree = () => {
    if (k.tracer.calls !== calls || k.trace.length !== steps) {
      throw new Error(`the kernel ran more calls after the run ended: this result's VMA lookup of pid ${p.pid} ` +
        "is stale");
    }
    return p.mm.tree;
  };
  return {
    at: (addr) => {
      const v = tree().lookup(addr);   // vma_lookup()
      return v ? vmaView(p.mm, v) : null;
    },
    countIn: (start, end) => {
      let n = 0;
      for (let v = tree().findVma(start); v && v.start < end; v = v.next) n++;
      return n;
    },
    in: (start, end, limit = Infinity) => {
      const out: VmaView[] = [];
      for (let v = tree().findVma(start); v && v.start < end && out.length < limit; v = v.next) {
        out.push(vmaView(p.mm, v));
      }
      return out;
    },
  };
}

/**
 * Run `fn` with `version` as the default for boot(), and collect every kernel it booted.
 * Never throws for the scenario's own errors: they are returned in `error`.
 */
export function runScenario(fn: () => void, opts: RunOptions): ScenarioResult {
  const profile = resolveVersion(opts.version);
  const prev = current;
  const { onSyscall, traceDetail } = opts;
  const session: Session = { version: profile.name, kernels: [], onSyscall, traceDetail };
  current = session;
  let error: ScenarioResult["error"] = null;
  try {
    fn();
  } catch (e) {
    error = describeError(e, session);
  } finally {
    current = prev;
  }
  const kernels = session.kernels.map((k) => kernelResult(k, opts.smaps ?? true, opts.mapsLines, opts.vmasListed));
  return { version: profile.name, kernels, error, log: opts.log ?? [] };
}

function describeError(e: unknown, s: Session): NonNullable<ScenarioResult["error"]> {
  if (e instanceof KernelError) {
    const k = s.kernels[s.kernels.length - 1];
    const step = k && k.trace.length ? k.trace[k.trace.length - 1]!.seq : undefined;
    return { name: "KernelError", message: `${e.syscall}: ${e.message}`,
      errno: e.errno, syscall: e.syscall, step, stack: e.stack };
  }
  const d = describeThrown(e);
  const stack = e instanceof Error ? safeString(() => e.stack, "") : "";
  return stack ? { ...d, stack } : d;
}

/** `f()` as a string, or `placeholder` when it throws. */
function safeString(f: () => unknown, placeholder: string): string {
  try {
    const v = f();
    return typeof v === "string" ? v : String(v);
  } catch {
    return placeholder;
  }
}

/**
 * Name and message of anything a scenario threw, without throwing again: a thrown object's
 * toString(), `name` or `message` may themselves throw (or be a Proxy that does).
 */
export function describeThrown(e: unknown): { name: string; message: string } {
  if (e !== null && (typeof e === "object" || typeof e === "function")) {
    const name = safeString(() => (e as Error).name ?? "Error", "Error");
    const message = safeString(() => (e as Error).message ?? e, "(a thrown value that cannot be printed)");
    return { name: name || "Error", message };
  }
  return { name: "Error", message: safeString(() => e, "(a thrown value that cannot be printed)") };
}
