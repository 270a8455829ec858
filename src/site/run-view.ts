// A ScenarioResult reduced to what a playground shows: steps with explanations, the VMAs of the
// scenario's windows after each step, and the final /proc/PID/maps. Plain JSON, built at build
// time for the static page and in the page after a Run.
import { picture, vmasAt, SNAPSHOT_LIMIT, type ScenarioResult, type Step, type VmaView } from 'mergeable';
import { countInWindows, scenarioWindows, vmasInWindows, type Window } from './region';
import { focusProcess } from './result';
import { STEP_EVENTS_KEPT, STEP_VMAS_KEPT } from './view-limits';

export { C_EXPORT_STEPS, MAPS_LINES_KEPT, STEP_EVENTS_KEPT, STEP_VMAS_KEPT } from './view-limits';

export interface StepView {
  seq: number; pid: number; syscall: string; text: string;
  errno: string | null; errnoMessage: string | null;
  events: { kind: string; fn: string; text: string }[];
  mapCount: number;
  /** VMAs in the windows after this step (what the diagram draws), as indexes into RunView.vmaTable. */
  vmas: number[];
  /** The engine's kernel-test ASCII picture of each window after this step. */
  pictures: string[];
  /** Set when more VMAs than STEP_VMAS_KEPT were in view (or in the mm, past SNAPSHOT_LIMIT): how many. */
  vmasNotKept?: number;
  /** Set past the first STEP_EVENTS_KEPT steps: how many events this step had (events is then empty). */
  eventsNotKept?: number;
  /** A brief step of the trace (Step.brief): its events and VMAs were never recorded. */
  brief?: true;
}

/**
 * The brief steps at the end of a run (Step.brief), column by column: what a reply carries instead
 * of 60k StepViews. The page's reply parser (run-view-schema.ts) turns them back into StepViews,
 * formatting each call's text only when it is shown.
 */
export interface BriefSteps {
  /** Syscall names; `syscall` holds indexes into it. */
  names: string[];
  syscall: number[];
  pid: number[];
  mapCount: number[];
  /**
   * The distinct argument lists as JSON, one a line: parsed (and checked) only for the steps shown.
   * A loop repeats the same arguments: 65,530 mmaps of a big run have two lists, not 2.6 MB of them.
   */
  args: string;
  /** Each step's line in `args`. */
  argLine: number[];
  ret: (number | null)[];
  /** The steps that failed: their index in `syscall`, errno name and message. */
  errno: [number, string, string][];
}


export interface RunView {
  version: string;
  error: null | { name: string; message: string; errno?: string; step?: number; line?: number };
  log: string[];
  pid: number | null;
  windows: Window[];
  steps: StepView[];
  /** Every distinct VMA the steps show, stored once (a trace repeats the same VMAs many times). */
  vmaTable: VmaView[];
  final: {
    maps: string; smapsMg: string[]; vmas: VmaView[]; mapCount: number; pictures: string[];
    /** Set when more VMAs than STEP_VMAS_KEPT were in view (vmas and pictures are then empty): how many. */
    vmasNotKept?: number;
    /** Set when `maps` holds only its first lines (RunOptions.mapsLines): how many lines were not kept. */
    mapsNotKept?: number;
  };
  otherKernels: number;
  /** Set when the run's last steps were brief: they follow `steps` (the reply parser moves them there). */
  brief?: BriefSteps;
  /** toC() of the trace: filled in the page's run worker on Run (not precomputed: it would only add weight). */
  c?: string;
  /** toSelftest() of the trace (merge.c's TEST_F), or why it cannot be one: filled in like `c`. */
  selftest?: { c: string } | { error: string };
}

/**
 * The smaps header + VmFlags lines of VMAs that show `mg`, for the "how it shows" panel: built from
 * the maps lines and the VMAs (one line each, in address order), so no run need build smaps.
 */
function mgLines(maps: string, vmas: VmaView[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const v of vmas) {
    const nl = maps.indexOf('\n', at);
    if (nl < 0) break; // past the lines kept (RunOptions.mapsLines)
    if (/(^| )mg( |$)/.test(v.vmflags)) out.push(maps.slice(at, nl), `VmFlags: ${v.vmflags} `);
    at = nl + 1;
  }
  return out;
}

export function runView(r: ScenarioResult & { errorLine?: number }): RunView {
  const k = r.kernels[0];
  const proc = focusProcess(r);
  const trace = k?.trace ?? [];
  // Brief steps (a prefix of the trace is detailed) go in `brief`, as columns.
  const firstBrief = trace.findIndex((s) => s.brief);
  const detailed = firstBrief < 0 ? trace : trace.slice(0, firstBrief);
  const mine = proc ? trace.filter((s) => s.pid === proc.pid) : [];
  const windows = proc ? scenarioWindows(mine, proc.lookup ?? proc.vmas) : [];
  const inWindows = (vmas: VmaView[]) => vmasInWindows(vmas, windows);
  const table: VmaView[] = [];
  const index = new Map<string, number>();
  // Steps share a VmaView while the VMA is unchanged (the trace's deltas): look it up by identity
  // first, and format a key only for a view not seen before.
  const byView = new Map<VmaView, number>();
  const intern = (v: VmaView) => {
    let i = byView.get(v);
    if (i !== undefined) return i;
    const key = JSON.stringify(v);
    i = index.get(key);
    if (i === undefined) { i = table.length; table.push(v); index.set(key, i); }
    byView.set(v, i);
    return i;
  };
  const stepVmasView = (shown: VmaView[] | null): Pick<StepView, 'vmas' | 'pictures' | 'vmasNotKept'> => {
    if (!shown) return { vmas: [], pictures: [] };
    if (shown.length > STEP_VMAS_KEPT) return { vmas: [], pictures: [], vmasNotKept: shown.length };
    return { vmas: shown.map(intern), pictures: windows.map((w) => picture(shown, w.start, w.end, { legend: false })) };
  };
  return {
    version: r.version,
    vmaTable: table,
    error: r.error ? { ...r.error, ...(r.errorLine ? { line: r.errorLine } : {}) } : null,
    log: r.log,
    pid: proc?.pid ?? null,
    windows,
    steps: detailed.map((s, i) => { const vmas = s.pid === proc?.pid ? vmasAt(trace, i) : null; return {
      seq: s.seq, pid: s.pid, syscall: s.syscall, text: s.text,
      errno: s.errno?.name ?? null, errnoMessage: s.errno?.message ?? null,
      ...(i < STEP_EVENTS_KEPT ? { events: s.events.map((e) => ({ kind: e.kind, fn: e.fn, text: e.text })) }
        : { events: [], ...(s.events.length ? { eventsNotKept: s.events.length } : {}) }),
      mapCount: s.mapCount,
      // Above SNAPSHOT_LIMIT the trace keeps no VMAs for the step: say how many there were.
      ...(s.pid === proc?.pid && !s.vmaDelta && s.mapCount > STEP_VMAS_KEPT
        ? { vmas: [], pictures: [], vmasNotKept: s.mapCount } : stepVmasView(vmas ? inWindows(vmas) : null)),
    }; }),
    final: finalView(proc, windows),
    otherKernels: Math.max(0, r.kernels.length - 1),
    ...(detailed.length < trace.length ? { brief: briefSteps(trace, detailed.length) } : {}),
  };
}

/**
 * The final state. Past SNAPSHOT_LIMIT VMAs it keeps only those in view, and none past what a
 * diagram draws (the count instead): 65,530 VmaViews were 10 MB of a reply that draws none of them.
 */
function finalView(proc: ReturnType<typeof focusProcess>, windows: Window[]): RunView['final'] {
  if (!proc) return { maps: '', smapsMg: [], vmas: [], mapCount: 0, pictures: [] };
  // A big run in the page has a lookup (RunOptions.vmasListed), not a list: views only of what is kept.
  const final = proc.lookup ?? proc.vmas;
  const n = proc.mapCount;
  // One maps line per VMA, then [vsyscall]: fewer lines than VMAs means the run kept only the first ones.
  let lines = 0;
  for (let at = proc.maps.indexOf('\n'); at >= 0; at = proc.maps.indexOf('\n', at + 1)) lines++;
  const cut = lines < n ? { mapsNotKept: n + 1 - lines } : {};
  const first = proc.lookup ? proc.lookup.in(0, Infinity, lines) : proc.vmas;
  const base = { maps: proc.maps, smapsMg: mgLines(proc.maps, first), mapCount: n, ...cut };
  let vmas: VmaView[];
  if (n > SNAPSHOT_LIMIT) {
    const inView = countInWindows(final, windows);
    if (inView > STEP_VMAS_KEPT) return { ...base, vmas: [], pictures: [], vmasNotKept: inView };
    vmas = vmasInWindows(final, windows);
  } else vmas = proc.lookup ? proc.lookup.in(0, Infinity) : proc.vmas;
  return { ...base, vmas, pictures: windows.map((w) => picture(vmas, w.start, w.end, { legend: false })) };
}

/** Steps `from`.. of `trace` (all brief), as columns. */
function briefSteps(trace: readonly Step[], from: number): BriefSteps {
  const b: BriefSteps = { names: [], syscall: [], pid: [], mapCount: [], args: '', argLine: [], ret: [], errno: [] };
  const name = new Map<string, number>();
  const line = new Map<string, number>();
  const args: string[] = [];
  // The tracer shares equal argument lists (Tracer.sharedArgs()), so a loop's 65,530 steps hold a
  // few arrays: each is formatted once (JSON.stringify() of every list was a third of the build).
  const byList = new Map<Step['args'], number>();
  const argLine = (a: Step['args']): number => {
    let l = byList.get(a);
    if (l !== undefined) return l;
    const json = JSON.stringify(a);
    l = line.get(json);
    if (l === undefined) line.set(json, (l = args.push(json) - 1));
    byList.set(a, l);
    return l;
  };
  for (let i = from; i < trace.length; i++) {
    const s = trace[i]!;
    let n = name.get(s.syscall);
    if (n === undefined) name.set(s.syscall, (n = b.names.push(s.syscall) - 1));
    b.syscall.push(n);
    b.pid.push(s.pid);
    b.mapCount.push(s.mapCount);
    b.argLine.push(argLine(s.args));
    b.ret.push(s.ret);
    if (s.errno) b.errno.push([i - from, s.errno.name, s.errno.message]);
  }
  // JSON escapes a newline inside a string argument: "\n" only ever separates lists.
  b.args = args.join('\n');
  return b;
}

/** The VMAs in view after step `i`. */
export function stepVmas(v: RunView, i: number): VmaView[] {
  return (v.steps[i]?.vmas ?? []).map((k) => v.vmaTable[k]);
}
