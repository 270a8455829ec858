// Replies from the sandbox are untrusted: reader code shares the worker with the engine, so any
// reply may be forged. Parse, don't trust: each reply is rebuilt field by field from what the
// schema allows (known keys, types, bounded lengths and counts), or refused with the path that failed.
import type { RunView, StepView } from './run-view';
import { STEP_VMAS_KEPT } from './view-limits';
import type { SandboxReply } from './sandbox/protocol';
import type { VmaView } from 'mergeable';
// A leaf of the engine (strace-like call text), imported by path so that the page loads no more of it.
import { callText, resultText } from '../engine/syscall_text';

export class ReplyError extends Error {
  constructor(path: string, what: string) {
    super(`${path}: ${what}`);
    this.name = 'ReplyError';
  }
}

type Check<T> = (x: unknown, path: string) => T;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const str = (max: number): Check<string> => (x, p) => {
  if (typeof x !== 'string') throw new ReplyError(p, 'expected a string');
  if (x.length > max) throw new ReplyError(p, `string longer than ${max} characters`);
  return x;
};
const int = (min: number, max: number): Check<number> => (x, p) => {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) throw new ReplyError(p, `expected an integer in [${min}, ${max}]`);
  return x;
};
const num: Check<number> = (x, p) => {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ReplyError(p, 'expected a finite number');
  return x;
};
const bool: Check<boolean> = (x, p) => {
  if (typeof x !== 'boolean') throw new ReplyError(p, 'expected true or false');
  return x;
};
const oneOf = <T extends string>(values: readonly T[]): Check<T> => (x, p) => {
  if (!values.includes(x as T)) throw new ReplyError(p, `expected one of ${values.join(', ')}`);
  return x as T;
};
const pattern = (re: RegExp, max: number, what: string): Check<string> => (x, p) => {
  const s = str(max)(x, p);
  if (!re.test(s)) throw new ReplyError(p, `expected ${what}`);
  return s;
};
const nullable = <T>(c: Check<T>): Check<T | null> => (x, p) => (x === null ? null : c(x, p));
const optional = <T>(c: Check<T>): Check<T | undefined> => (x, p) => (x === undefined ? undefined : c(x, p));
const arr = <T>(item: Check<T>, max: number): Check<T[]> => (x, p) => {
  if (!Array.isArray(x)) throw new ReplyError(p, 'expected an array');
  if (x.length > max) throw new ReplyError(p, `more than ${max} items`);
  const out = new Array<T>(x.length);
  for (let i = 0; i < x.length; i++) out[i] = item(x[i], `${p}[${i}]`);
  return out;
};
type Shape<T> = { [K in keyof T]-?: Check<T[K]> };
/** A fresh object with exactly the shape's keys (unknown keys are dropped, missing ones refused unless optional). */
const obj = <T>(shape: Shape<T>): Check<T> => (x, p) => {
  if (!isObj(x)) throw new ReplyError(p, 'expected an object');
  const out = {} as T;
  for (const k of Object.keys(shape) as (keyof T & string)[]) {
    const v = shape[k](Object.prototype.hasOwnProperty.call(x, k) ? x[k] : undefined, `${p}.${k}`);
    if (v !== undefined) out[k] = v;
  }
  return out;
};

/** Sizes no engine run reaches on a page: a reply past them is refused, not rendered. */
export const LIMITS = { steps: 2_000_000, vmas: 1_000_000, text: 1 << 20, log: 1_000_000, events: 100_000, versions: 16 };

const ADDR = int(0, 2 ** 64);
const VERSION = pattern(/^\d+\.\d+(?:\.\d+)?$/, 16, 'a kernel version such as 6.17');
const ERRNO = pattern(/^E[A-Z0-9]{1,15}$/, 16, 'an errno name');
const KINDS = ['merge', 'nomerge', 'split', 'new', 'remove', 'flags', 'ksm', 'fault', 'info'] as const;

const vma: Check<VmaView> = obj<VmaView>({
  start: ADDR, end: ADDR,
  flags: pattern(/^0x[0-9a-f]{1,16}$/, 18, 'hex vm_flags'),
  vmflags: pattern(/^[a-z0-9?]{0,2}(?: [a-z0-9?]{2})*$/, 512, 'smaps VmFlags mnemonics'),
  perms: pattern(/^[r-][w-][x-][ps]$/, 4, 'maps permissions'),
  pgoff: int(0, 2 ** 53), name: str(4096), file: nullable(str(4096)),
  anonVma: nullable(int(0, 2 ** 53)), forkChild: bool,
});

/**
 * Indexes into a table of `count()` items, checked in one loop: a path is formatted only for an item
 * that fails (arr() names each, and 1,024 steps of a big run hold 260,000 VMA indexes).
 */
const indexes = (count: () => number, what: string): Check<number[]> => (x, p) => {
  if (!Array.isArray(x)) throw new ReplyError(p, 'expected an array');
  if (x.length > LIMITS.vmas) throw new ReplyError(p, `more than ${LIMITS.vmas} items`);
  const n = count();
  const out = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) {
    const v: unknown = x[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
      int(0, LIMITS.vmas)(v, `${p}[${i}]`);
      throw new ReplyError(`${p}[${i}]`, what);
    }
    out[i] = v;
  }
  return out;
};

const event = obj<StepView['events'][number]>({ kind: oneOf(KINDS), fn: str(128), text: str(LIMITS.text) });

const step = (vmaCount: () => number): Check<StepView> => obj<StepView>({
  seq: int(0, LIMITS.steps), pid: int(0, 2 ** 31), syscall: str(64), text: str(LIMITS.text),
  errno: nullable(ERRNO), errnoMessage: nullable(str(LIMITS.text)),
  events: arr(event, LIMITS.events), mapCount: int(0, 2 ** 31),
  vmas: indexes(vmaCount, 'no such VMA in vmaTable'),
  pictures: arr(str(LIMITS.text), 64),
  vmasNotKept: optional(int(STEP_VMAS_KEPT + 1, LIMITS.vmas)),
  eventsNotKept: optional(int(1, LIMITS.events)),
  // Only the brief steps rebuilt by briefViews() are brief.
  brief: () => undefined,
});

const window = obj<RunView['windows'][number]>({ start: ADDR, end: ADDR });
const error = obj<NonNullable<RunView['error']>>({
  name: str(256), message: str(LIMITS.text), errno: optional(ERRNO), step: optional(int(0, LIMITS.steps)), line: optional(int(1, 1_000_000)),
});

/** toSelftest()'s text, or the sentence saying why the run cannot be one. */
const selftest: Check<NonNullable<RunView['selftest']>> = (x, p) => {
  if (isObj(x) && 'error' in x) return obj<{ error: string }>({ error: str(LIMITS.text) })(x, p);
  return obj<{ c: string }>({ c: str(256 << 20) })(x, p);
};

const NAME = str(64);
/** A call argument as the trace records it (traceArg()): a number, or a short string such as a path. */
const ARG: Check<number | string> = (x, p) => (typeof x === 'string' ? str(4096)(x, p) : num(x, p));

/** Brief steps (a big run's tail, run-view.ts BriefSteps) checked and turned back into StepViews. */
function briefViews(x: unknown, p: string, from: number, pid: number | null): StepView[] {
  if (!isObj(x)) throw new ReplyError(p, 'expected an object');
  const names = arr(NAME, 256)(x.names, `${p}.names`);
  const n = Array.isArray(x.syscall) ? x.syscall.length : 0;
  // A column of n integers, checked in one loop (arr() would name every item's path: 65,530 strings).
  const col = (key: string, max: number): number[] => {
    const c = x[key];
    if (!Array.isArray(c) || c.length !== n) throw new ReplyError(`${p}.${key}`, `expected ${n} items, one per step`);
    for (let i = 0; i < n; i++) {
      const v: unknown = c[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) int(0, max)(v, `${p}.${key}[${i}]`);
    }
    return c as number[];
  };
  const syscall = col('syscall', names.length - 1);
  const pids = col('pid', 2 ** 31);
  const counts = col('mapCount', 2 ** 31);
  const args = str(LIMITS.steps * 4096)(x.args, `${p}.args`).split('\n');
  if (args.length > Math.max(1, n)) throw new ReplyError(`${p}.args`, `more than ${n} lines, one per step at most`);
  const argLine = col('argLine', args.length - 1);
  const ret = x.ret;
  if (!Array.isArray(ret) || ret.length !== n) throw new ReplyError(`${p}.ret`, `expected ${n} items, one per step`);
  for (let i = 0; i < n; i++) if (ret[i] !== null && !Number.isFinite(ret[i])) num(ret[i], `${p}.ret[${i}]`);
  const failed: ([string, string] | undefined)[] = new Array(n);
  arr(tuple, LIMITS.steps)(x.errno, `${p}.errno`).forEach(([i, name, message], k) => {
    if (i >= n) throw new ReplyError(`${p}.errno[${k}]`, 'no such step');
    failed[i] = [name, message];
  });
  if (from + n > LIMITS.steps) throw new ReplyError(p, `more than ${LIMITS.steps} steps`);
  const cols: BriefColumns = { from, pid, names, syscall, pids, counts, args, argLine, ret: ret as (number | null)[], failed };
  const out = new Array<StepView>(n);
  for (let i = 0; i < n; i++) out[i] = new BriefStepView(cols, i);
  return out;
}

/** The checked columns of a reply's brief steps, shared by their BriefStepViews. */
interface BriefColumns {
  from: number; pid: number | null; names: string[]; syscall: number[]; pids: number[]; counts: number[];
  args: string[]; argLine: number[]; ret: (number | null)[]; failed: ([string, string] | undefined)[];
}

const NONE: never[] = [];
/**
 * A brief step as the page shows it: a view of the checked columns (its step's index, no copies:
 * 65,530 objects of a dozen fields each were most of the parse's garbage), its call's text
 * formatted when read (the list shows a few hundred).
 */
class BriefStepView implements StepView {
  constructor(private readonly c: BriefColumns, private readonly i: number) {}
  get seq(): number { return this.c.from + this.i; }
  get pid(): number { return this.c.pids[this.i]!; }
  get syscall(): string { return this.c.names[this.c.syscall[this.i]!]!; }
  get mapCount(): number { return this.c.counts[this.i]!; }
  get errno(): string | null { return this.c.failed[this.i]?.[0] ?? null; }
  get errnoMessage(): string | null { return this.c.failed[this.i]?.[1] ?? null; }
  get events(): never[] { return NONE; }
  get vmas(): never[] { return NONE; }
  get pictures(): never[] { return NONE; }
  get brief(): true { return true; }
  /** The process's VMAs were too many to keep for the step (past STEP_VMAS_KEPT): how many. */
  get vmasNotKept(): number | undefined {
    return this.pid === this.c.pid && this.mapCount > STEP_VMAS_KEPT ? this.mapCount : undefined;
  }

  get text(): string {
    // Checked here, when shown: a line that is not a list of arguments shows as such, as text.
    let args: (number | string)[];
    try { args = arr(ARG, 16)(JSON.parse(this.c.args[this.c.argLine[this.i]!]!), 'args'); }
    catch { return `${this.syscall}(unreadable arguments)`; }
    return `${callText(this.syscall, args)} ${resultText(this.syscall, this.c.ret[this.i]!, this.errno)}`.trim();
  }
}
const tuple: Check<[number, string, string]> = (x, p) => {
  if (!Array.isArray(x) || x.length !== 3) throw new ReplyError(p, 'expected [step, errno, message]');
  return [int(0, LIMITS.steps)(x[0], `${p}[0]`), ERRNO(x[1], `${p}[1]`), str(LIMITS.text)(x[2], `${p}[2]`)];
};

/** A RunView rebuilt from untrusted JSON data, or a ReplyError. */
export const runViewOf: Check<RunView> = (x, p) => {
  if (!isObj(x)) throw new ReplyError(p, 'expected an object');
  // vmaTable first: step.vmas index into it.
  const vmaTable = arr(vma, LIMITS.vmas)(x.vmaTable, `${p}.vmaTable`);
  const rest = obj<Omit<RunView, 'vmaTable'>>({
    version: VERSION, error: nullable(error), log: arr(str(LIMITS.text), LIMITS.log), pid: nullable(int(0, 2 ** 31)),
    windows: arr(window, 64), steps: arr(step(() => vmaTable.length), LIMITS.steps),
    final: obj<RunView['final']>({
      maps: str(256 << 20), smapsMg: arr(str(LIMITS.text), 2 * LIMITS.vmas), vmas: arr(vma, LIMITS.vmas),
      mapCount: int(0, 2 ** 31), pictures: arr(str(LIMITS.text), 64), vmasNotKept: optional(int(STEP_VMAS_KEPT + 1, LIMITS.vmas)),
      mapsNotKept: optional(int(1, LIMITS.vmas + 1)),
    }),
    otherKernels: int(0, 1024), c: optional(str(256 << 20)), selftest: optional(selftest), brief: () => undefined,
  })(x, p);
  if (x.brief !== undefined) for (const s of briefViews(x.brief, `${p}.brief`, rest.steps.length, rest.pid)) rest.steps.push(s);
  return { ...rest, vmaTable };
};

/** A sandbox reply, parsed from the text the frame relayed, for the run `id` the page asked for. */
export function parseReply(text: string, id: number, versions: string[]): SandboxReply {
  let x: unknown;
  try { x = JSON.parse(text); } catch { throw new ReplyError('reply', 'not JSON'); }
  if (!isObj(x)) throw new ReplyError('reply', 'expected an object');
  if (x.id !== id) throw new ReplyError('reply.id', `expected ${id}`);
  const kind = oneOf(['progress', 'ok', 'compile', 'crash'] as const)(x.kind, 'reply.kind');
  if (kind === 'progress') return { id, kind, syscalls: int(0, Number.MAX_SAFE_INTEGER)(x.syscalls, 'reply.syscalls') };
  if (kind === 'crash') return { id, kind, message: str(LIMITS.text)(x.message, 'reply.message') };
  if (kind === 'compile') {
    return { id, kind, message: str(LIMITS.text)(x.message, 'reply.message'),
      line: optional(int(1, 1_000_000))(x.line, 'reply.line'), column: optional(int(1, 1_000_000))(x.column, 'reply.column') };
  }
  if (!isObj(x.views)) throw new ReplyError('reply.views', 'expected an object');
  const views: Record<string, RunView> = {};
  for (const v of versions) {
    const view = runViewOf(x.views[v], `reply.views[${JSON.stringify(v)}]`);
    // The engine names a run by the profile it resolved to; a view must not claim another kernel.
    if (view.version !== v && !v.startsWith(`${view.version}.`)) throw new ReplyError(`reply.views[${JSON.stringify(v)}].version`, `expected ${v}`);
    views[v] = view;
  }
  return { id, kind, views, engineMs: num(x.engineMs, 'reply.engineMs'), syscalls: int(0, Number.MAX_SAFE_INTEGER)(x.syscalls, 'reply.syscalls') };
}
