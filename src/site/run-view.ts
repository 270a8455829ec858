// A ScenarioResult reduced to what a playground shows: steps with explanations, the VMAs of the
// scenario's windows after each step, and the final /proc/PID/maps. Plain JSON, built at build
// time for the static page and in the page after a Run.
import { picture, vmasAt, type ScenarioResult, type VmaView } from 'mergeable';
import { scenarioWindows, type Window } from './region';
import { focusProcess } from './result';
import { STEP_EVENTS_KEPT, STEP_VMAS_KEPT } from './view-limits';

export { C_EXPORT_STEPS, STEP_EVENTS_KEPT, STEP_VMAS_KEPT } from './view-limits';

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
  final: { maps: string; smapsMg: string[]; vmas: VmaView[]; mapCount: number; pictures: string[] };
  otherKernels: number;
  /** toC() of the trace: filled in the page's run worker on Run (not precomputed: it would only add weight). */
  c?: string;
  /** toSelftest() of the trace (merge.c's TEST_F), or why it cannot be one: filled in like `c`. */
  selftest?: { c: string } | { error: string };
}

/** The smaps header + VmFlags lines of VMAs that show `mg`, for the "how it shows" panel. */
function mgLines(smaps: string): string[] {
  const out: string[] = [];
  let header = '';
  for (const line of smaps.split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) header = line;
    else if (line.startsWith('VmFlags:') && / mg( |$)/.test(line)) out.push(header, line);
  }
  return out;
}

export function runView(r: ScenarioResult & { errorLine?: number }): RunView {
  const k = r.kernels[0];
  const proc = focusProcess(r);
  const trace = k?.trace ?? [];
  const mine = proc ? trace.filter((s) => s.pid === proc.pid) : [];
  const windows = proc ? scenarioWindows(mine, proc.vmas) : [];
  const inWindows = (vmas: VmaView[]) => windows.length ? vmas.filter((v) => windows.some((w) => v.start < w.end && v.end > w.start)) : [];
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
    steps: trace.map((s, i) => { const vmas = s.pid === proc?.pid ? vmasAt(trace, i) : null; return {
      seq: s.seq, pid: s.pid, syscall: s.syscall, text: s.text,
      errno: s.errno?.name ?? null, errnoMessage: s.errno?.message ?? null,
      ...(i < STEP_EVENTS_KEPT ? { events: s.events.map((e) => ({ kind: e.kind, fn: e.fn, text: e.text })) }
        : { events: [], ...(s.events.length ? { eventsNotKept: s.events.length } : {}) }),
      mapCount: s.mapCount,
      // Above SNAPSHOT_LIMIT the trace keeps no VMAs for the step: say how many there were.
      ...(s.pid === proc?.pid && !s.vmaDelta && s.mapCount > STEP_VMAS_KEPT
        ? { vmas: [], pictures: [], vmasNotKept: s.mapCount } : stepVmasView(vmas ? inWindows(vmas) : null)),
    }; }),
    final: { maps: proc?.maps ?? '', smapsMg: proc ? mgLines(proc.smaps) : [], vmas: proc?.vmas ?? [], mapCount: proc?.vmas.length ?? 0,
      pictures: proc ? windows.map((w) => picture(proc.vmas, w.start, w.end, { legend: false })) : [] },
    otherKernels: Math.max(0, r.kernels.length - 1),
  };
}

/** The VMAs in view after step `i`. */
export function stepVmas(v: RunView, i: number): VmaView[] {
  return (v.steps[i]?.vmas ?? []).map((k) => v.vmaTable[k]);
}
