// map_count after each step, as an SVG step chart: the regression is a line that climbs by one VMA
// per mmap() on 6.4-6.16 and stays flat on 6.17+. One series per kernel version (two in compare mode).
import { h, toHtml, type Child, type El } from './dom';

/**
 * One run's map_count after each of its steps (null: a step of another process, not plotted) and
 * the errno of each step that failed (null: it succeeded).
 */
export interface MapCountSeries { label: string; counts: (number | null)[]; errnos: (string | null)[] }

export interface MapCountChartOptions {
  id: string; step: number | null; title: string;
  /** false: no click targets (a page without a playground to select the step in). Default true. */
  interactive?: boolean;
  /** The figure caption's content, instead of "map_count after each step". */
  caption?: Child;
}

const W = 480, H = 132, L = 46, R = 12, T = 10, B = 26;
/** Fewer steps than this read better as the step list alone: the chart is for trends. */
export const MIN_STEPS = 8;
/** Below this many steps each step gets a dot and a click target; above, the line alone. */
const DOTS_MAX = 120;

type Points = (readonly [number, number])[];

// Loops, not map/filter/spread chains: a 65,530-step run's chart is drawn in the page's render task.
function plotted(s: MapCountSeries): Points {
  const out: Points = [];
  for (let i = 0; i < s.counts.length; i++) { const c = s.counts[i]; if (c !== null && c !== undefined) out.push([i, c]); }
  return out;
}

/** The lowest and highest map_count of the points. */
function extent(pts: Points): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const p of pts) { if (p[1] < lo) lo = p[1]; if (p[1] > hi) hi = p[1]; }
  return [lo, hi];
}

/** The points of the steps that failed. */
function failedPoints(s: MapCountSeries, pts: Points): Points {
  const out: Points = [];
  for (const p of pts) if (s.errnos[p[0]]) out.push(p);
  return out;
}

/** Above this many points the step line is drawn per column of 0.1 unit of x (the plot is 422 units wide). */
const PATH_POINTS_MAX = 6000;

/**
 * The step line of many points, one vertical stroke per column: the lowest and highest map_count
 * in it, then the last. It draws the same picture as a segment per step (a 65,530-step run's path
 * was 1 MB), within the 0.1 unit the coordinates are rounded to anyway.
 */
function columnPath(pts: Points, x: (i: number) => number, y: (c: number) => number): string {
  const out: string[] = [];
  // Columns by arithmetic (x() formats each coordinate): x() is linear in the step, 0.1 unit a column.
  const [i0, i1] = [pts[0]![0], pts[pts.length - 1]![0]];
  const perStep = i1 > i0 ? (x(i1) - x(i0)) * 10 / (i1 - i0) : 0;
  const column = (i: number) => Math.round((i - i0) * perStep);
  for (let k = 0; k < pts.length;) {
    const cx = x(pts[k]![0]), col = column(pts[k]![0]);
    let lo = pts[k]![1], hi = lo, j = k;
    while (j + 1 < pts.length && column(pts[j + 1]![0]) === col) {
      j++;
      lo = Math.min(lo, pts[j]![1]);
      hi = Math.max(hi, pts[j]![1]);
    }
    const last = pts[j]![1];
    out.push(k === 0 ? `M${cx} ${y(pts[0]![1])}` : `H${cx}V${y(pts[k]![1])}`);
    if (hi !== lo) out.push(`V${y(lo)}V${y(hi)}`);
    out.push(`V${y(last)}`);
    k = j + 1;
  }
  return out.join('');
}

/** columnPath() of a series already drawn on the same axes (`axes`): a click on a step draws the chart again. */
const paths = new WeakMap<MapCountSeries['counts'], { axes: string; d: string }>();
function cachedPath(s: MapCountSeries, pts: Points, axes: string, x: (i: number) => number, y: (c: number) => number): string {
  const hit = paths.get(s.counts);
  if (hit?.axes === axes) return hit.d;
  const d = columnPath(pts, x, y);
  paths.set(s.counts, { axes, d });
  return d;
}

/** The y range: at least 4 VMAs tall, so that one VMA more is a visible step but not the whole height. */
function yRange(points: Points[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const pts of points) { const [l, u] = extent(pts); lo = Math.min(lo, l); hi = Math.max(hi, u); }
  return [lo, Math.max(hi, lo + 4)];
}

/** "6.16: map_count 21 after step 1, 30 after step 10 (highest 30)": the chart's text alternative. */
function describe(s: MapCountSeries, pts: Points): string {
  if (!pts.length) return `${s.label}: no steps`;
  const [fi, fc] = pts[0];
  const [li, lc] = pts[pts.length - 1];
  const hi = extent(pts)[1];
  const each = pts.length <= 30 ? `; after each step: ${pts.map((p) => p[1]).join(', ')}` : '';
  const failed = failedPoints(s, pts).map((p) => `step ${p[0] + 1} failed with ${s.errnos[p[0]]}`);
  return `${s.label}: map_count ${fc} after step ${fi + 1}, ${lc} after step ${li + 1}${hi > lc ? ` (highest ${hi})` : ''}${each}` +
    (failed.length ? `; ${failed.slice(-3).join(', ')}` : '');
}

/** The chart, or null when no series has MIN_STEPS steps of its process to plot. */
export function mapCountNode(series: MapCountSeries[], o: MapCountChartOptions): El | null {
  const points = series.map(plotted);
  if (points.every((pts) => pts.length < MIN_STEPS)) return null;
  // The x axis runs from the first plotted step (earlier steps may all be another process's) to the last.
  const first = Math.min(...points.map((pts) => pts[0]?.[0] ?? Infinity));
  const last = Math.max(...series.map((s) => s.counts.length)) - 1;
  const [lo, hi] = yRange(points);
  const x = (i: number) => +(L + ((i - first) / (last - first)) * (W - L - R)).toFixed(1);
  const y = (c: number) => +(T + (1 - (c - lo) / (hi - lo)) * (H - T - B)).toFixed(1);
  const dots = last - first + 1 <= DOTS_MAX;
  const clickable = dots && o.interactive !== false;
  const grid = [...new Set([lo, Math.round((lo + hi) / 2), hi])].map((c) => [
    h('line', { class: 'grid', x1: L, x2: W - R, y1: y(c), y2: y(c) }),
    h('text', { class: 'tick', x: L - 6, y: y(c) + 4, 'text-anchor': 'end' }, c),
  ]);
  const seriesNodes = series.map((s, si) => {
    const pts = points[si]!;
    // A step line: map_count holds from one step to the next.
    const d = pts.length > PATH_POINTS_MAX ? cachedPath(s, pts, `${first} ${last} ${lo} ${hi}`, x, y)
      : pts.map(([i, c], k) => (k === 0 ? `M${x(i)} ${y(c)}` : `H${x(i)}V${y(c)}`)).join('');
    // A failed call: a cross, and the errno of the last one (a loop that fails every time would otherwise be a wall of labels).
    const failed = failedPoints(s, pts);
    const lastFail = failed[failed.length - 1];
    let label: El | null = null;
    if (lastFail) {
      // Beside the cross (right of it, or left near the right edge), so that it never leaves the chart.
      const [i, c] = lastFail;
      const right = x(i) < W - R - 60;
      label = h('text', { class: 'errno', x: x(i) + (right ? 8 : -8), y: y(c) + 4, 'text-anchor': right ? 'start' : 'end' }, s.errnos[i]!);
    }
    return h('g', { class: `series s${si}` }, h('path', { d }),
      dots && pts.filter(([i]) => !s.errnos[i]).map(([i, c]) => h('circle', { cx: x(i), cy: y(c), r: 2.5 })),
      failed.map(([i, c]) => h('path', { class: 'err', d: `M${x(i) - 4} ${y(c) - 4}l8 8m0 -8l-8 8` })),
      label);
  });
  // Click targets (the step list is the keyboard route to the same steps).
  const hits: El[] = [];
  if (clickable) {
    const w = (W - L - R) / Math.max(1, last - first);
    for (let i = first; i <= last; i++) hits.push(h('rect', { class: 'hit', 'data-step': i, x: (x(i) - w / 2).toFixed(1), y: T, width: w.toFixed(1), height: H - T - B }));
  }
  const svg = h('svg', { class: 'pg-mc', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${o.id}-t ${o.id}-d`, xmlns: 'http://www.w3.org/2000/svg' },
    h('title', { id: `${o.id}-t` }, o.title),
    h('desc', { id: `${o.id}-d` }, series.map((s, si) => describe(s, points[si]!)).join('. ')),
    grid,
    h('text', { class: 'tick', x: L, y: H - 8 }, `step ${first + 1}`),
    h('text', { class: 'tick', x: W - R, y: H - 8, 'text-anchor': 'end' }, `step ${last + 1}`),
    o.step !== null && o.step >= first && o.step <= last && h('line', { class: 'cur', x1: x(o.step), x2: x(o.step), y1: T, y2: H - B }),
    seriesNodes, hits);
  const key = series.length > 1
    && h('ul', { class: 'pg-mc-key' }, series.map((s, si) => h('li', { class: `s${si}` }, h('span', { 'aria-hidden': 'true' }), `Linux ${s.label}`)));
  const caption = o.caption ?? [h('code', null, 'map_count'), ` after each step${series.length > 1 ? '' : ` on Linux ${series[0].label}`}${clickable ? ' (click a step to see it)' : ''}`];
  return h('figure', { class: 'pg-mcfig' }, svg, h('figcaption', null, h('span', null, caption), key));
}

/** The chart as markup, or '' (the static pages). */
export const mapCountChart = (series: MapCountSeries[], o: MapCountChartOptions): string => toHtml(mapCountNode(series, o));
