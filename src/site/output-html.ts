// HTML of one scenario run (diagram, step list, maps), as a string: the Astro component and the
// page's client code render the same markup from the same RunView.
import type { VmaView } from 'mergeable';
import { stepVmas, type RunView, type StepView } from './run-view';
import type { ResultDiff, LineOp } from './diff';
import { diagramModel, legend } from './diagram';
import { diagramSvg } from './svg';
import { mapCountChart, type MapCountSeries } from './mapcount-chart';
import { esc } from './html';

const hex = (n: number) => '0x' + n.toString(16);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function elixirUrl(fn: string, version: string): string | null {
  const name = fn.replace(/\(\)$/, '');
  return IDENT.test(name) ? `https://elixir.bootlin.com/linux/v${version}/C/ident/${name}` : null;
}

export interface RunHtmlOptions {
  uid: string;                 // unique per playground column, for SVG ids
  step: number | null;         // null: final state
  diff?: ResultDiff; side?: 'a' | 'b';
  title?: string;              // column heading, default "Linux <version>"
  stepping?: boolean;          // false: no step selection here (an exercise's result), so the chart takes no clicks
}

/** Step lists longer than this scroll in a box of their own instead of lengthening the page. */
export const STEPS_UNBOXED = 12;

/** Events (or legend lines) shown in full; a longer list (a ksmd pass logs one line per page) folds the rest. */
export const EVENTS_SHOWN = 8;

/** `<li>` items in a `<ul class=cls>`: past EVENTS_SHOWN, the first EVENTS_SHOWN - 1 and the rest behind "N <more>". */
function foldedList(cls: string, items: string[], more: string): string {
  const shown = items.length > EVENTS_SHOWN ? EVENTS_SHOWN - 1 : items.length;
  const rest = items.slice(shown);
  const folded = rest.length ? `<details class="pg-more"><summary>${rest.length} ${more}</summary><ul class="${cls}">${rest.join('')}</ul></details>` : '';
  return `<ul class="${cls}">${items.slice(0, shown).join('')}</ul>${folded}`;
}

function eventsHtml(s: StepView, version: string): string {
  if (!s.events.length) return '';
  return foldedList('pg-events', s.events.map((e) => {
    const url = elixirUrl(e.fn, version);
    const fn = url ? `<a href="${url}" rel="external"><code>${esc(e.fn)}()</code></a>` : `<code>${esc(e.fn)}</code>`;
    return `<li class="ev ev-${esc(e.kind)}"><span class="ev-kind">${esc(e.kind)}</span> ${fn}: ${esc(e.text)}</li>`;
  }), 'more kernel events');
}

function stepsHtml(v: RunView, o: RunHtmlOptions): string {
  const items = v.steps.map((s, i) => {
    const d = o.diff?.steps[i];
    const cls = ['pg-step', o.step === i ? 'current' : '', d?.differs ? 'differs' : '', s.errno ? 'failed' : ''].filter(Boolean).join(' ');
    const diffNote = d?.differs ? ` <span class="pg-diffnote">differs: ${esc(d.what.join(', '))}</span>` : '';
    const err = s.errno ? ` <span class="pg-errno">${esc(s.errno)}</span>` : '';
    return `<li class="${cls}" data-step="${i}"${o.step === i ? ' aria-current="step"' : ''}><code class="pg-call">${esc(s.text)}</code>${err}${diffNote}` +
      `<span class="pg-mapcount">map_count ${s.mapCount}</span>${s.errnoMessage ? `<p class="pg-errmsg">${esc(s.errnoMessage)}</p>` : ''}${eventsHtml(s, v.version)}</li>`;
  });
  const list = `<ol class="pg-steps" start="1">${items.join('')}</ol>`;
  if (v.steps.length <= STEPS_UNBOXED) return list;
  // A long trace (a loop of 64 mmap()s) scrolls in its own box: the chart above already shows its shape.
  return `<div class="pg-steps-box" tabindex="0" role="region" aria-label="The ${v.steps.length} steps on Linux ${esc(v.version)}">${list}</div>`;
}

function figureHtml(vmas: VmaView[], pictures: string[], v: RunView, o: RunHtmlOptions, when: string): string {
  if (!v.windows.length) return '<p class="pg-note">This scenario touched no memory, so there is nothing to draw.</p>';
  return v.windows.map((w, wi) => {
    const m = diagramModel(vmas, w);
    const pic = pictures[wi] ?? '';
    const leg = legend(m);
    const id = `${o.uid}-w${wi}`;
    const title = `Address space ${hex(w.start)}–${hex(w.end)} on Linux ${v.version}, ${when}: ${m.boxes.length} VMA${m.boxes.length === 1 ? '' : 's'}`;
    const svg = diagramSvg(m, { id, title, description: `${pic}\n${leg.join('\n')}` });
    const key = m.boundaries.length ? '<p class="pg-key"><span class="k-identical">Solid red line</span>: two VMAs with identical attributes that the kernel did not merge. <span class="k-differ">Dashed amber line</span>: the VMAs differ (the reason is listed).</p>' : '';
    return `<figure class="pg-figure">${svg}<figcaption>${key}<pre class="pg-picture" aria-hidden="true">${esc(pic)}</pre>${foldedList('pg-legend', leg.map((l) => `<li>${esc(l)}</li>`), 'more boundaries and VMAs')}</figcaption></figure>`;
  }).join('');
}

function mapsHtml(v: RunView, o: RunHtmlOptions): string {
  if (o.step !== null) {
    const rows = stepVmas(v, o.step).map((x) => `<tr><td><code>${hex(x.start)}-${hex(x.end)}</code></td><td><code>${esc(x.perms)}</code></td><td>${(x.end - x.start) / 4096}</td><td><code>${esc(x.vmflags)}</code></td><td>${esc(x.name || x.file || '')}</td></tr>`);
    return `<div class="pg-panel"><h5>VMAs in view after step ${o.step + 1}</h5>${rows.length ? `<div class="pg-scroll" tabindex="0" role="region" aria-label="VMAs in view on ${esc(v.version)} after step ${o.step + 1}"><table class="pg-vmas"><thead><tr><th>range</th><th>perms</th><th>pages</th><th>VmFlags</th><th>name</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>` : '<p class="pg-note">No VMA in view.</p>'}</div>`;
  }
  let body: string;
  const ops: LineOp[] | undefined = o.diff?.maps;
  if (ops && o.side) {
    const mine = ops.filter((l) => l.op === 'same' || (o.side === 'a' ? l.op === 'del' : l.op === 'add'));
    body = mine.map((l) => l.op === 'same' ? `<span class="ln">  ${esc(l.text)}</span>` : `<mark class="ln ${o.side === 'a' ? 'del' : 'add'}">${o.side === 'a' ? '- ' : '+ '}${esc(l.text)}</mark>`).join('\n');
  } else body = esc(v.final.maps.replace(/\n$/, ''));
  const mg = v.final.smapsMg.length
    ? `<details class="pg-panel"><summary>smaps: VMAs with <code>mg</code> (${v.final.smapsMg.length / 2})</summary><pre class="pg-pre" tabindex="0">${esc(v.final.smapsMg.join('\n'))}</pre></details>`
    : '<p class="pg-note">No VMA shows <code>mg</code> in smaps.</p>';
  return `<details class="pg-panel pg-maps" open><summary><code>/proc/${v.pid ?? 'PID'}/maps</code> (${v.final.mapCount} lines)</summary><pre class="pg-pre" tabindex="0">${body}</pre></details>${mg}`;
}

export function errorHtml(e: NonNullable<RunView['error']>): string {
  const where = e.line ? ` (line ${e.line})` : e.step !== undefined ? ` (step ${e.step + 1})` : '';
  return `<div class="pg-error" role="alert"><strong>${esc(e.errno ?? e.name)}${where}:</strong> ${esc(e.message)}</div>`;
}

/** map_count after each step of the run's process (steps of other processes: null), and the failed steps. */
export const mapCounts = (v: RunView): MapCountSeries => ({
  label: v.version,
  counts: v.steps.map((s) => (s.pid === v.pid ? s.mapCount : null)),
  errnos: v.steps.map((s) => s.errno),
});

/** Compare mode: the summary, one map_count chart with both versions, then a column per version. */
export function compareHtml(a: RunView, b: RunView, diff: ResultDiff, uid: string, step: number | null): string {
  const chart = mapCountChart([mapCounts(a), mapCounts(b)], { id: `${uid}-mc`, step, title: `map_count after each step on Linux ${a.version} and ${b.version}` });
  const col = (v: RunView, side: 'a' | 'b') =>
    `<div class="pg-run" data-version="${esc(v.version)}">${runHtml(v, { uid: `${uid}-${side}`, step: step !== null && step < v.steps.length ? step : null, diff, side })}</div>`;
  return `<p class="pg-diffsummary"><strong>Compare:</strong> ${esc(diff.summary)}</p>${chart}<div class="pg-cols">${col(a, 'a')}${col(b, 'b')}</div>`;
}

export function runHtml(v: RunView, o: RunHtmlOptions): string {
  const step = o.step;
  const vmas = step === null ? v.final.vmas : stepVmas(v, step);
  const pics = step === null ? v.final.pictures : v.steps[step]?.pictures ?? [];
  const when = step === null ? `after all ${v.steps.length} steps` : `after step ${step + 1} of ${v.steps.length}`;
  const inView = v.windows.length ? v.final.vmas.filter((x) => v.windows.some((w) => x.end > w.start && x.start < w.end)).length : 0;
  const head = `<h4 class="pg-run-title">${esc(o.title ?? `Linux ${v.version}`)} <span class="pg-badge">${inView} VMA${inView === 1 ? '' : 's'} in view · map_count ${v.final.mapCount}</span></h4>`;
  const log = v.log.length ? `<div class="pg-panel"><h5>console.log</h5><pre class="pg-pre" tabindex="0">${esc(v.log.join('\n'))}</pre></div>` : '';
  const cur = step === null ? null : v.steps[step];
  const stepInfo = cur
    ? `<div class="pg-stepinfo current"><p>Step ${step! + 1} of ${v.steps.length}: <code>${esc(cur.text)}</code>${cur.errno ? ` <span class="pg-errno">${esc(cur.errno)}</span>` : ''}</p>${eventsHtml(cur, v.version) || '<p class="pg-note">No kernel events for this step.</p>'}</div>`
    : `<p class="pg-stepinfo">Final state, ${when}.</p>`;
  // In compare mode compareHtml() draws one chart for both columns.
  const chart = o.diff ? '' : mapCountChart([mapCounts(v)], { id: `${o.uid}-mc`, step, title: `map_count after each step on Linux ${v.version}`, interactive: o.stepping });
  return `${head}${v.error ? errorHtml(v.error) : ''}${stepInfo}${figureHtml(vmas, pics, v, o, when)}${chart}${stepsHtml(v, o)}${mapsHtml(v, o)}${log}`;
}
