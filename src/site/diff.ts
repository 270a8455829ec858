// Differences between one scenario run on two kernel versions (compare mode).
import { stepVmas, type RunView } from './run-view';

export type LineOp = { op: 'same' | 'del' | 'add'; text: string };

/** Past this many cells of the LCS table (lines changed in a times lines changed in b), the middle is not diffed. */
export const DIFF_CELLS = 4_000_000;

/**
 * Line diff of two texts: "del" lines only in a, "add" lines only in b. The common prefix and
 * suffix are kept as "same" in linear time; only the changed middle gets the quadratic LCS, and a
 * middle too large for it (DIFF_CELLS) is shown as one note line, then its del and add lines.
 */
export function diffLines(a: string, b: string): LineOp[] {
  const x = a.split('\n'), y = b.split('\n');
  if (x[x.length - 1] === '') x.pop();
  if (y[y.length - 1] === '') y.pop();
  let lo = 0;
  while (lo < x.length && lo < y.length && x[lo] === y[lo]) lo++;
  let hx = x.length, hy = y.length;
  while (hx > lo && hy > lo && x[hx - 1] === y[hy - 1]) { hx--; hy--; }
  const out: LineOp[] = x.slice(0, lo).map((text) => ({ op: 'same', text }));
  const n = hx - lo, m = hy - lo;
  if (n * m > DIFF_CELLS) {
    out.push({ op: 'same', text: `(${n} and ${m} changed lines: too large to diff line by line; the old lines, then the new)` });
    for (let i = lo; i < hx; i++) out.push({ op: 'del', text: x[i] });
    for (let j = lo; j < hy; j++) out.push({ op: 'add', text: y[j] });
  } else {
    const L: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = x[lo + i] === y[lo + j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    let i = 0, j = 0;
    while (i < n && j < m) {
      if (x[lo + i] === y[lo + j]) { out.push({ op: 'same', text: x[lo + i] }); i++; j++; }
      else if (L[i + 1][j] >= L[i][j + 1]) out.push({ op: 'del', text: x[lo + i++] });
      else out.push({ op: 'add', text: y[lo + j++] });
    }
    while (i < n) out.push({ op: 'del', text: x[lo + i++] });
    while (j < m) out.push({ op: 'add', text: y[lo + j++] });
  }
  for (let k = hx; k < x.length; k++) out.push({ op: 'same', text: x[k] });
  return out;
}

export interface StepDiff { index: number; syscall: string; differs: boolean; what: string[] }
export interface ResultDiff {
  a: string; b: string;                   // versions
  maps: LineOp[];                          // final /proc/PID/maps of the focus process
  mapCount: [number, number];
  steps: StepDiff[];
  summary: string;                         // "6.16: 25 VMAs in the process, 6.17: 24; 2 of 4 steps differ"
}

const retOf = (text: string) => text.slice(text.lastIndexOf(' = ') + 3);

/** Compare two runs of the same code (compare mode): steps pair up by position. */
export function diffResults(ra: RunView, rb: RunView): ResultDiff {
  const ta = ra.steps, tb = rb.steps;
  const steps: StepDiff[] = [];
  for (let i = 0; i < Math.max(ta.length, tb.length); i++) {
    const sa = ta[i], sb = tb[i];
    const what: string[] = [];
    if (!sa || !sb) what.push(sa ? `only on ${ra.version}` : `only on ${rb.version}`);
    else {
      if (retOf(sa.text) !== retOf(sb.text) || sa.errno !== sb.errno) what.push('result');
      if (sa.mapCount !== sb.mapCount) what.push(`map_count ${sa.mapCount} vs ${sb.mapCount}`);
      const ka = sa.events.map((e) => e.kind).join(','), kb = sb.events.map((e) => e.kind).join(',');
      if (ka !== kb) what.push('kernel actions');
      else if (JSON.stringify(stepVmas(ra, i)) !== JSON.stringify(stepVmas(rb, i))) what.push('VMAs');
    }
    steps.push({ index: i, syscall: (sa ?? sb)!.syscall, differs: what.length > 0, what });
  }
  const maps = diffLines(ra.final.maps, rb.final.maps);
  const mapCount: [number, number] = [ra.final.mapCount, rb.final.mapCount];
  const nd = steps.filter((s) => s.differs).length;
  const summary = `${ra.version}: ${mapCount[0]} VMAs in the process, ${rb.version}: ${mapCount[1]}; ` +
    (nd ? `${nd} of ${steps.length} steps differ (marked)` : 'every step behaves the same');
  return { a: ra.version, b: rb.version, maps, mapCount, steps, summary };
}
