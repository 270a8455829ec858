// One scenario run (diagram, step list, maps) as an h() tree: the Astro component serialises it
// at build time (toHtml), the page's client code turns it into DOM nodes (toDom). Everything in a
// RunView is data; none of it is ever markup.
import type { VmaView } from 'mergeable';
import { stepVmas, MAPS_LINES_KEPT, STEP_EVENTS_KEPT, STEP_VMAS_KEPT, type RunView, type StepView } from './run-view';
import { LINES_SHOWN } from './view-limits';
import type { ResultDiff, LineOp } from './diff';
import { diagramModel, legend } from './diagram';
import { diagramNode } from './svg';
import { mapCountNode, type MapCountSeries } from './mapcount-chart';
import { h, toHtml, type Child, type El } from './dom';
import { grouped, plural, stepOf } from './grouped';
import { countInWindows } from './region';

const hex = (n: number) => '0x' + n.toString(16);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function elixirUrl(fn: string, version: string): string | null {
  const name = fn.replace(/\(\)$/, '');
  return IDENT.test(name) && /^\d+\.\d+(?:\.\d+)?$/.test(version) ? `https://elixir.bootlin.com/linux/v${version}/C/ident/${name}` : null;
}

export interface RunHtmlOptions {
  uid: string;                 // unique per playground column, for SVG ids
  step: number | null;         // null: final state
  diff?: ResultDiff; side?: 'a' | 'b';
  title?: string;              // column heading, default "Linux <version>"
  stepping?: boolean;          // false: no step selection here (an exercise's result), so the chart takes no clicks
  /** Lines of console.log and of /proc/PID/maps shown before "Show more" (default LINES_SHOWN). */
  lines?: number;
  /** The build's static output: only its first screen (FIRST_SCREEN_*); "Show all" has the page render the rest. */
  firstScreen?: boolean;
}

/** Step lists longer than this scroll in a box of their own instead of lengthening the page. */
export const STEPS_UNBOXED = 12;
/** At most this many steps are in the list at once: the ones around the selected step (or the last ones). */
export const STEPS_RENDERED = 400;
/** Events (or legend lines) shown in full; a longer list (a ksmd pass logs one line per page) folds the rest. */
export const EVENTS_SHOWN = 8;
export const LINE_CHARS = 2000;
/**
 * The static output of a page is its first screen: this many steps of a list longer than STEPS_UNBOXED,
 * this many lines of a text panel, no folded events or legend lines (in the figure's description
 * neither). The page renders the rest from the scenario's JSON when asked (the regression chapter
 * was 622 KB of HTML with every output in full).
 */
export const FIRST_SCREEN_STEPS = 8;
export const FIRST_SCREEN_LINES = 16;
const linesShown = (o: RunHtmlOptions) => o.lines ?? (o.firstScreen ? FIRST_SCREEN_LINES : LINES_SHOWN);

/** Where the static output stops: the page's script renders everything from here on ("show-all"). */
const showAll = (what: string, label: string): El => h('p', { class: 'pg-note pg-first-screen' }, `${what} `,
  h('button', { type: 'button', class: 'js-only', 'data-act': 'show-all' }, label));

/**
 * `<li>` items in a `<ul class=cls>`: past EVENTS_SHOWN, the first EVENTS_SHOWN - 1 and the rest behind "N <more>"
 * (on a first screen, a "Show all" button instead of the rest).
 */
function foldedList(cls: string, items: El[], more: string, firstScreen?: boolean): Child {
  const shown = items.length > EVENTS_SHOWN ? EVENTS_SHOWN - 1 : items.length;
  const rest = items.slice(shown);
  if (rest.length > 0 && firstScreen) return [h('ul', { class: cls }, items.slice(0, shown)), showAll(`${rest.length} ${more}.`, 'Show them')];
  return [h('ul', { class: cls }, items.slice(0, shown)),
    rest.length > 0 && h('details', { class: 'pg-more' }, h('summary', null, `${rest.length} ${more}`), h('ul', { class: cls }, rest))];
}

function eventsNode(s: StepView, version: string, firstScreen?: boolean): Child {
  if (s.eventsNotKept) {
    return h('p', { class: 'pg-note' }, `This step's kernel events (${s.eventsNotKept}) are not kept: ` +
      `a run keeps the events of its first ${grouped(STEP_EVENTS_KEPT)} steps.`);
  }
  if (!s.events.length) return null;
  return foldedList('pg-events', s.events.map((e) => {
    const url = elixirUrl(e.fn, version);
    const fn = url ? h('a', { href: url, rel: 'external' }, h('code', null, `${e.fn}()`)) : h('code', null, e.fn);
    return h('li', { class: `ev ev-${e.kind}` }, h('span', { class: 'ev-kind' }, e.kind), ' ', fn, `: ${e.text}`);
  }), 'more kernel events', firstScreen);
}

/** The steps a list shows: all of a short run, else STEPS_RENDERED around the selected step (or the last ones). */
export function stepRange(n: number, step: number | null): [number, number] {
  if (n <= STEPS_RENDERED) return [0, n];
  const at = step ?? n - 1;
  const from = Math.max(0, Math.min(at - STEPS_RENDERED / 2, n - STEPS_RENDERED));
  return [from, from + STEPS_RENDERED];
}

function stepsNode(v: RunView, o: RunHtmlOptions): Child {
  // A first screen starts at the first step (a long final-state list otherwise shows the last ones).
  const [from, end] = o.firstScreen && o.step === null ? [0, v.steps.length] : stepRange(v.steps.length, o.step);
  const cut = o.firstScreen && end - from > STEPS_UNBOXED;
  const to = cut ? from + FIRST_SCREEN_STEPS : end;
  const items = v.steps.slice(from, to).map((s, k) => {
    const i = from + k;
    const d = o.diff?.steps[i];
    const cls = ['pg-step', o.step === i ? 'current' : '', d?.differs ? 'differs' : '', s.errno ? 'failed' : ''].filter(Boolean).join(' ');
    return h('li', { class: cls, 'data-step': i, 'aria-current': o.step === i ? 'step' : null },
      h('code', { class: 'pg-call' }, s.text),
      s.errno && [' ', h('span', { class: 'pg-errno' }, s.errno)],
      d?.differs && [' ', h('span', { class: 'pg-diffnote' }, `differs: ${d.what.join(', ')}`)],
      h('span', { class: 'pg-mapcount' }, `map_count ${s.mapCount}`),
      s.errnoMessage && h('p', { class: 'pg-errmsg' }, s.errnoMessage),
      eventsNode(s, v.version, o.firstScreen));
  });
  const hidden = (n: number, where: string) => n > 0 && h('p', { class: 'pg-note pg-hidden-steps' },
    `${plural(n, 'step')} ${where} not listed: select one in the chart, or step with ← and →.`);
  // Numbers past 999 (step 65,124) need a wider margin, or the list clips their first digits.
  const list = [hidden(from, 'before these'), h('ol', { class: to > 999 ? 'pg-steps wide' : 'pg-steps', start: from + 1 }, items),
    cut ? showAll(`${plural(v.steps.length - to, 'more step')} after these.`, `Show all ${plural(v.steps.length, 'step')}`)
      : hidden(v.steps.length - to, 'after these')];
  if (v.steps.length <= STEPS_UNBOXED) return list;
  // A long trace (a loop of 64 mmap()s) scrolls in its own box: the chart above already shows its shape.
  return h('div', { class: 'pg-steps-box', tabindex: 0, role: 'region', 'aria-label': `The ${v.steps.length} steps on Linux ${v.version}` }, list);
}

/** Drawing every VMA of a window past this many would make the picture a smear and the page slow. */
export const BOXES_DRAWN = STEP_VMAS_KEPT;

/** A step whose VMAs in view were not kept (run-view.ts STEP_VMAS_KEPT). */
const tooMany = (n: number, final = false): El => h('p', { class: 'pg-note' }, final
  ? `${plural(n, 'VMA')} in view: too many to draw; /proc/PID/maps below lists them.`
  : `${plural(n, 'VMA')} after this step: too many to draw or list; the chart and /proc/PID/maps show the final state.`);

function figureNode(vmas: VmaView[], pictures: string[], v: RunView, o: RunHtmlOptions, when: string, notKept?: number): Child {
  if (!v.windows.length) return h('p', { class: 'pg-note' }, 'This scenario touched no memory, so there is nothing to draw.');
  if (notKept) return tooMany(notKept, o.step === null);
  return v.windows.map((w, wi) => {
    const m = diagramModel(vmas, w);
    const id = `${o.uid}-w${wi}`;
    const title = `Address space ${hex(w.start)}–${hex(w.end)} on Linux ${v.version}, ${when}: ${plural(m.boxes.length, 'VMA')}`;
    // An empty window gets a sentence, not an empty frame.
    if (m.boxes.length === 0) return h('p', { class: 'pg-note pg-empty-window' }, `${title}: nothing is mapped there, so there is nothing to draw.`);
    if (m.boxes.length > BOXES_DRAWN) {
      return h('p', { class: 'pg-note' }, `${title}. That is too many to draw; the step list, the chart and /proc/PID/maps below show them.`);
    }
    const pic = pictures[wi] ?? '';
    const leg = legend(m);
    const described = o.firstScreen && leg.length > EVENTS_SHOWN
      ? [...leg.slice(0, EVENTS_SHOWN - 1), `${leg.length - EVENTS_SHOWN + 1} more boundaries and VMAs.`] : leg;
    const key = m.boundaries.length > 0 && h('p', { class: 'pg-key' },
      h('span', { class: 'k-identical' }, 'Solid red line'), ': two VMAs with identical attributes that the kernel did not merge. ',
      h('span', { class: 'k-differ' }, 'Dashed amber line'), ': the VMAs differ (the reason is listed).');
    return h('figure', { class: 'pg-figure' },
      // Scrolls sideways in narrow columns (CSS), so it takes keyboard focus for the arrow keys.
      h('div', { class: 'pg-svg-box', tabindex: 0 }, diagramNode(m, { id, title, description: `${pic}\n${described.join('\n')}` })),
      h('figcaption', null, key, h('pre', { class: 'pg-picture', 'aria-hidden': 'true' }, pic),
        foldedList('pg-legend', leg.map((l) => h('li', null, l)), 'more boundaries and VMAs', o.firstScreen)));
  });
}

/** A long text panel: the first `shown` lines (each cut at LINE_CHARS), then "Show more" and "Download". */
function linesNode(lines: string[], shown: number, what: string, file: string): Child {
  const cut = (l: string) => (l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS)}… (${plural(l.length - LINE_CHARS, 'more character')})` : l);
  const long = lines.length > shown || lines.some((l) => l.length > LINE_CHARS);
  return [h('pre', { class: long ? 'pg-pre pg-long' : 'pg-pre', tabindex: 0 }, lines.slice(0, shown).map(cut).join('\n')),
    long && h('p', { class: 'pg-more-lines' },
      lines.length > shown && `${plural(lines.length - shown, 'more line')} of ${what}. `,
      lines.length > shown && h('button', { type: 'button', 'data-act': 'more-lines', 'data-what': file }, 'Show more'), ' ',
      h('button', { type: 'button', 'data-act': 'download', 'data-what': file }, `Download ${file}`))];
}

function mapsNode(v: RunView, o: RunHtmlOptions): Child {
  if (o.step !== null) {
    const step = o.step;
    const notKept = v.steps[step]?.vmasNotKept;
    if (notKept) return h('div', { class: 'pg-panel' }, h('h5', null, `VMAs in view after step ${step + 1}`), tooMany(notKept));
    const rows = stepVmas(v, step).map((x) => h('tr', null,
      h('td', null, h('code', null, `${hex(x.start)}-${hex(x.end)}`)), h('td', null, h('code', null, x.perms)),
      h('td', null, (x.end - x.start) / 4096), h('td', null, h('code', null, x.vmflags)), h('td', null, x.name || x.file || '')));
    return h('div', { class: 'pg-panel' }, h('h5', null, `VMAs in view after step ${step + 1}`),
      rows.length
        ? h('div', { class: 'pg-scroll', tabindex: 0, role: 'region', 'aria-label': `VMAs in view on ${v.version} after step ${step + 1}` },
          h('table', { class: 'pg-vmas' },
            h('thead', null, h('tr', null, ['range', 'perms', 'pages', 'VmFlags', 'name'].map((t) => h('th', null, t)))),
            h('tbody', null, rows)))
        : h('p', { class: 'pg-note' }, 'No VMA in view.'));
  }
  const ops: LineOp[] | undefined = o.diff?.maps;
  const shown = linesShown(o);
  let body: Child;
  if (ops && o.side) {
    const mine = ops.filter((l) => l.op === 'same' || (o.side === 'a' ? l.op === 'del' : l.op === 'add'));
    body = h('pre', { class: 'pg-pre', tabindex: 0 }, mine.slice(0, shown).map((l, i) => [i ? '\n' : '', l.op === 'same'
      ? h('span', { class: 'ln' }, `  ${l.text}`)
      : h('mark', { class: `ln ${o.side === 'a' ? 'del' : 'add'}` }, `${o.side === 'a' ? '- ' : '+ '}${l.text}`)]),
    mine.length > shown && !o.firstScreen ? `\n… ${plural(mine.length - shown, 'more line')}` : '');
    if (o.firstScreen && mine.length > shown) body = [body, showAll(`${plural(mine.length - shown, 'more line')}.`, 'Show them')];
  } else body = linesNode(v.final.maps.replace(/\n$/, '').split('\n'), shown, '/proc/PID/maps', 'maps');
  const cut = v.final.mapsNotKept;
  const cutNote = cut && h('p', { class: 'pg-note' }, `A run in the page keeps the first ${plural(MAPS_LINES_KEPT, 'line')} ` +
    `of /proc/PID/maps; the other ${plural(cut, 'line')} (and their smaps) were not kept. In a terminal: npx mergeable run scenario.ts`);
  const mg = v.final.smapsMg.length
    ? h('details', { class: 'pg-panel' }, h('summary', null, 'smaps: VMAs with ', h('code', null, 'mg'), ` (${v.final.smapsMg.length / 2})`),
      o.firstScreen ? showAll(`${plural(v.final.smapsMg.length, 'line')}.`, 'Show them') : linesNode(v.final.smapsMg, shown, 'smaps', 'smaps'))
    : h('p', { class: 'pg-note' }, 'No VMA shows ', h('code', null, 'mg'), ' in smaps.');
  return [h('details', { class: 'pg-panel pg-maps', open: true },
    h('summary', null, h('code', null, `/proc/${v.pid ?? 'PID'}/maps`), ` (${grouped(v.final.mapCount)} lines)`), body, cutNote), mg];
}

export function errorNode(e: NonNullable<RunView['error']>): El {
  const where = e.line ? ` (line ${e.line})` : e.step !== undefined ? ` (step ${e.step + 1})` : '';
  return h('div', { class: 'pg-error', role: 'alert' }, h('strong', null, `${e.errno ?? e.name}${where}:`), ` ${e.message}`);
}
export const errorHtml = (e: NonNullable<RunView['error']>): string => toHtml(errorNode(e));

/** map_count after each step of the run's process (steps of other processes: null), and the failed steps. */
export const mapCounts = (v: RunView): MapCountSeries => {
  // Once per view: each click on a step renders again, and the chart caches its path by these arrays.
  let s = seriesOf.get(v);
  if (!s) seriesOf.set(v, (s = { label: v.version, counts: v.steps.map((x) => (x.pid === v.pid ? x.mapCount : null)), errnos: v.steps.map((x) => x.errno) }));
  return s;
};
const seriesOf = new WeakMap<RunView, MapCountSeries>();

/** Compare mode: the summary, one map_count chart with both versions, then a column per version. */
export function compareNode(a: RunView, b: RunView, diff: ResultDiff, uid: string, step: number | null, lines?: number, firstScreen?: boolean): Child {
  const chart = mapCountNode([mapCounts(a), mapCounts(b)], { id: `${uid}-mc`, step, title: `map_count after each step on Linux ${a.version} and ${b.version}` });
  const col = (v: RunView, side: 'a' | 'b') => h('div', { class: 'pg-run', 'data-version': v.version },
    runNode(v, { uid: `${uid}-${side}`, step: step !== null && step < v.steps.length ? step : null, diff, side, lines, firstScreen }));
  return [h('p', { class: 'pg-diffsummary' }, h('strong', null, 'Compare:'), ` ${diff.summary}`), chart,
    h('div', { class: 'pg-cols' }, col(a, 'a'), col(b, 'b'))];
}
export const compareHtml = (a: RunView, b: RunView, diff: ResultDiff, uid: string, step: number | null, firstScreen?: boolean): string =>
  toHtml(compareNode(a, b, diff, uid, step, undefined, firstScreen));

/** One version's column, alone. */
export const singleNode = (v: RunView, o: RunHtmlOptions): El =>
  h('div', { class: 'pg-cols one' }, h('div', { class: 'pg-run', 'data-version': v.version }, runNode(v, o)));

/** "Final state, …": after how many steps (a scenario that throws before its first call has none). */
export function finalWhen(steps: number): string {
  return steps === 0 ? 'before any syscall' : steps === 1 ? 'after its one step' : `after all ${grouped(steps)} steps`;
}

export function runNode(v: RunView, o: RunHtmlOptions): Child {
  const step = o.step;
  const vmas = step === null ? v.final.vmas : stepVmas(v, step);
  const pics = step === null ? v.final.pictures : v.steps[step]?.pictures ?? [];
  const when = step === null ? finalWhen(v.steps.length) : `after step ${stepOf(step, v.steps.length)}`;
  const inView = v.final.vmasNotKept ?? countInWindows(v.final.vmas, v.windows);
  const head = h('h4', { class: 'pg-run-title' }, o.title ?? `Linux ${v.version}`, ' ',
    h('span', { class: 'pg-badge' }, `${plural(inView, 'VMA')} in view · map_count ${v.final.mapCount}`));
  const log = v.log.length > 0 && h('div', { class: 'pg-panel' }, h('h5', null, 'console.log'), linesNode(v.log, linesShown(o), 'console.log', 'log'));
  const cur = step === null ? null : v.steps[step];
  const stepInfo = cur
    ? h('div', { class: 'pg-stepinfo current' },
      h('p', null, `Step ${stepOf(step!, v.steps.length)}: `, h('code', null, cur.text), cur.errno && [' ', h('span', { class: 'pg-errno' }, cur.errno)]),
      eventsNode(cur, v.version, o.firstScreen) || h('p', { class: 'pg-note' }, cur.brief
        ? `This step's kernel events were not recorded: a run in the page records them for its first ${
          grouped(STEP_EVENTS_KEPT)} steps, then only each call and map_count (mergeable run --format trace has them all).`
        : 'No kernel events for this step.'))
    : h('p', { class: 'pg-stepinfo' }, `Final state, ${when}.`);
  // In compare mode compareNode() draws one chart for both columns.
  const chart = !o.diff && mapCountNode([mapCounts(v)], { id: `${o.uid}-mc`, step, title: `map_count after each step on Linux ${v.version}`, interactive: o.stepping });
  return [head, v.error && errorNode(v.error), stepInfo, figureNode(vmas, pics, v, o, when, step === null ? v.final.vmasNotKept : cur?.vmasNotKept), chart, stepsNode(v, o), mapsNode(v, o), log];
}
export const runHtml = (v: RunView, o: RunHtmlOptions): string => toHtml(runNode(v, o));
