// Expected outcomes of a scenario, e.g. "6.16: 2 VMAs, mg; 6.17: 1 VMA": written in the scenario
// file as `// @expect 6.16: 2 VMAs, mg` lines, or in a chapter's expect= attribute. The page prints
// them next to the scenario; the chapter doctests assert them.
import type { ScenarioResult } from 'mergeable';
import { PAGE, scenarioWindows, vmasIn } from './region';
import { focusProcess } from './result';

export type Claim =
  | { kind: 'vmas'; n: number }            // "2 VMAs": VMAs in the scenario's windows
  | { kind: 'map_count'; n: number }       // "map_count 65": the process's final map_count
  | { kind: 'errno'; name: string }        // "ENOMEM": some step failed with it
  | { kind: 'no-error' }                   // "no error": no step failed, the scenario finished
  | { kind: 'mg'; all: boolean }           // "mg": every VMA in the windows has mg; "no mg": none has
  | { kind: 'mg-count'; n: number }        // "mg=2": exactly this many VMAs in the windows have mg
  | { kind: 'log'; text: string }          // 'log "..."': a console.log line
  | { kind: 'perms'; perms: string }       // "rw-p": every VMA in the windows has these /proc/PID/maps permissions
  | { kind: 'pages'; n: number }           // "8 pages": the VMAs in the windows cover this many pages in all
  | { kind: 'file' }                       // "file": every VMA in the windows maps a file
  | { kind: 'calls'; n: number; syscall: string }; // "0 munmap calls": how many steps made this call
export interface Expectation { version: string; claims: Claim[]; text: string }

const CLAIM_RES: [RegExp, (m: RegExpExecArray) => Claim][] = [
  [/^(\d+) VMAs?$/i, (m) => ({ kind: 'vmas', n: Number(m[1]) })],
  [/^vmas=(\d+)$/, (m) => ({ kind: 'vmas', n: Number(m[1]) })],
  [/^map_count[ =](\d+)$/, (m) => ({ kind: 'map_count', n: Number(m[1]) })],
  [/^mg=(\d+)$/, (m) => ({ kind: 'mg-count', n: Number(m[1]) })],
  [/^pages=(\d+)$/, (m) => ({ kind: 'pages', n: Number(m[1]) })],
  [/^(E[A-Z]+)$/, (m) => ({ kind: 'errno', name: m[1] })],
  [/^no error$/i, () => ({ kind: 'no-error' })],
  [/^mg$/, () => ({ kind: 'mg', all: true })],
  [/^no mg$/, () => ({ kind: 'mg', all: false })],
  [/^log "(.*)"$/, (m) => ({ kind: 'log', text: m[1] })],
  [/^([r-][w-][x-][ps])$/, (m) => ({ kind: 'perms', perms: m[1] })],
  [/^(\d+) pages?$/, (m) => ({ kind: 'pages', n: Number(m[1]) })],
  [/^file$/, () => ({ kind: 'file' })],
  [/^(\d+) ([a-z_0-9]+) calls?$/, (m) => ({ kind: 'calls', n: Number(m[1]), syscall: m[2] })],
];

/** Split on `sep` outside double quotes. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parse "6.16: 2 VMAs, mg; 6.17: 1 VMA". Throws with the offending part on bad syntax. */
export function parseExpectations(src: string): Expectation[] {
  return splitOutsideQuotes(src, ';').map((s) => s.trim()).filter(Boolean).map((part) => {
    const m = /^(\d+\.\d+(?:\.\d+)?)\s*:\s*(.+)$/.exec(part);
    if (!m) throw new Error(`bad expectation "${part}": write "<version>: <claim>, <claim>"`);
    // "vmas=3 mg=0": key=value claims may also be separated by spaces alone.
    const keyed = /^\s*[a-z_]+=\d+(\s+[a-z_]+=\d+)+\s*$/.test(m[2]);
    const claims = (keyed ? m[2].trim().split(/\s+/) : splitOutsideQuotes(m[2], ',')).map((c) => c.trim()).map((c) => {
      for (const [re, make] of CLAIM_RES) { const r = re.exec(c); if (r) return make(r); }
      throw new Error(`bad claim "${c}" in "${part}": use "N VMAs" (or vmas=N), "map_count N", "EXXX", "no error", "mg", "no mg", "mg=N", 'log "text"', "rw-p", "N pages" (or pages=N), "file" or "N <syscall> calls"`);
    });
    return { version: m[1], claims, text: m[2] };
  });
}

const EXPECT_LINE = /^\s*\/\/\s*@expect\b(.*)$/;

/** The `// @expect <version>: <claims>` lines of a scenario file. Throws naming the bad line. */
export function scenarioExpectations(source: string, name = 'scenario'): Expectation[] {
  const out: Expectation[] = [];
  source.split('\n').forEach((line, i) => {
    const m = EXPECT_LINE.exec(line);
    if (!m) return;
    try { out.push(...parseExpectations(m[1])); }
    catch (e) { throw new Error(`${name}:${i + 1}: ${(e as Error).message}`); }
  });
  return out;
}

/** The scenario source as a reader sees it: without its `// @expect` lines (the page prints those). */
export function withoutExpectations(source: string): string {
  return source.split('\n').filter((l) => !EXPECT_LINE.test(l)).join('\n');
}

/** Expectations from several places, one entry per version (in first-seen order), claims concatenated. */
export function mergeExpectations(...lists: Expectation[][]): Expectation[] {
  const byVersion = new Map<string, Expectation>();
  for (const e of lists.flat()) {
    const had = byVersion.get(e.version);
    if (had) byVersion.set(e.version, { version: e.version, claims: [...had.claims, ...e.claims], text: `${had.text}, ${e.text}` });
    else byVersion.set(e.version, e);
  }
  return [...byVersion.values()];
}

/** What a <Playground> asserts: its scenario file's `// @expect` lines, then its expect= attribute. */
export function playgroundExpectations(source: string, attr: string | null, name: string): Expectation[] {
  return mergeExpectations(scenarioExpectations(source, name), attr ? parseExpectations(attr) : []);
}

export interface ClaimCheck { claim: Claim; text: string; ok: boolean; actual: string }

export function describeClaim(c: Claim): string {
  switch (c.kind) {
    case 'vmas': return `${c.n} VMA${c.n === 1 ? '' : 's'}`;
    case 'map_count': return `map_count ${c.n}`;
    case 'errno': return c.name;
    case 'no-error': return 'no error';
    case 'mg': return c.all ? 'mg' : 'no mg';
    case 'mg-count': return `mg on ${c.n} VMA${c.n === 1 ? '' : 's'}`;
    case 'log': return `log "${c.text}"`;
    case 'perms': return c.perms;
    case 'pages': return `${c.n} page${c.n === 1 ? '' : 's'}`;
    case 'file': return 'file';
    case 'calls': return `${c.n} ${c.syscall} call${c.n === 1 ? '' : 's'}`;
  }
}

/** What a claim is judged on: the same facts whether they come from a ScenarioResult or a RunView. */
export interface ClaimFacts {
  /** The VMAs in the scenario's windows, after the run. */
  region: { vmflags: string; perms: string; start: number; end: number; file: string | null }[];
  /** The syscall of every step, in order (every process of the kernel). */
  calls: string[];
  /** The process's final map_count, or -1 when there is no process. */
  mapCount: number;
  /** errno names of every failed step (and of the error that ended the scenario). */
  errnos: string[];
  error: { name: string; message: string } | null;
  log: string[];
}

/** Judge one claim on the facts of a run. */
export function judgeClaim(c: Claim, f: ClaimFacts): ClaimCheck {
  const text = describeClaim(c);
  const { region, errnos } = f;
  switch (c.kind) {
    case 'vmas': return { claim: c, text, ok: region.length === c.n, actual: `${region.length} VMA${region.length === 1 ? '' : 's'}` };
    case 'map_count': return { claim: c, text, ok: f.mapCount === c.n, actual: `map_count ${f.mapCount}` };
    case 'errno': return { claim: c, text, ok: errnos.includes(c.name), actual: errnos.length ? errnos.join(', ') : 'no error' };
    case 'no-error': {
      const ok = !f.error && errnos.length === 0;
      return { claim: c, text, ok, actual: ok ? 'no error' : f.error ? `${f.error.name}: ${f.error.message}` : errnos.join(', ') };
    }
    case 'mg': {
      const withMg = region.filter((v) => v.vmflags.split(' ').includes('mg')).length;
      const ok = region.length > 0 && (c.all ? withMg === region.length : withMg === 0);
      return { claim: c, text, ok, actual: `mg on ${withMg} of ${region.length} VMAs` };
    }
    case 'mg-count': {
      const withMg = region.filter((v) => v.vmflags.split(' ').includes('mg')).length;
      return { claim: c, text, ok: withMg === c.n, actual: `mg on ${withMg} of ${region.length} VMAs` };
    }
    case 'log': return { claim: c, text, ok: f.log.includes(c.text), actual: f.log.length ? f.log.map((l) => `"${l}"`).join(' ') : 'no log output' };
    case 'perms': {
      const seen = [...new Set(region.map((v) => v.perms))];
      return { claim: c, text, ok: region.length > 0 && seen.length === 1 && seen[0] === c.perms, actual: seen.length ? seen.join(', ') : 'no VMA' };
    }
    case 'pages': {
      const n = region.reduce((t, v) => t + (v.end - v.start), 0) / PAGE;
      return { claim: c, text, ok: n === c.n, actual: `${n} page${n === 1 ? '' : 's'}` };
    }
    case 'file': {
      const anon = region.filter((v) => v.file === null).length;
      return { claim: c, text, ok: region.length > 0 && anon === 0, actual: region.length ? `${anon} of ${region.length} VMAs map no file` : 'no VMA' };
    }
    case 'calls': {
      const n = f.calls.filter((x) => x === c.syscall).length;
      return { claim: c, text, ok: n === c.n, actual: `${n} ${c.syscall} call${n === 1 ? '' : 's'}` };
    }
  }
}

export function checkClaim(c: Claim, r: ScenarioResult): ClaimCheck {
  const k = r.kernels[0];
  const steps = k?.trace ?? [];
  const proc = focusProcess(r);
  const windows = proc ? scenarioWindows(steps.filter((s) => s.pid === proc.pid), proc.vmas) : [];
  const errnos = steps.filter((s) => s.errno).map((s) => s.errno!.name);
  if (r.error?.errno) errnos.push(r.error.errno);
  return judgeClaim(c, {
    region: proc ? windows.flatMap((w) => vmasIn(proc.vmas, w)) : [],
    mapCount: proc ? proc.vmas.length : -1,
    errnos,
    error: r.error,
    log: r.log,
    calls: steps.map((s) => s.syscall),
  });
}
