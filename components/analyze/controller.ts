// The analyser page's controller, loaded on first use: reads the form, asks the Worker, renders
// the summary, the picture (overview + zoomed window), the pairs (paged) and the text report.
import { ask } from './client';
import type { GroupView, Summary, VmaLine, WindowView, ReasonView } from './view';
import type { InputProblem, Timings } from './worker';
import { esc } from '../../src/site/html';
import { parseMaxMapCount } from '../../src/analyze/max_map_count';
import { DEFAULT_MAX_MAP_COUNT } from '../../src/engine/uapi';

const num = (n: number) => n.toLocaleString('en-US');
const hex = (n: number | bigint) => n.toString(16);
const PAGE = 50;
const BIG = 1 << 20;

export function attach(root: HTMLElement) {
  const $ = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const smaps = $<HTMLTextAreaElement>('[data-role="smaps"]');
  const ksm = $<HTMLTextAreaElement>('[data-role="ksmstat"]');
  const kernel = $<HTMLSelectElement>('[data-role="kernel"]');
  const maxmap = $<HTMLInputElement>('[data-role="maxmap"]');
  const fileIn = $<HTMLInputElement>('[data-role="file"]');
  const status = $<HTMLElement>('[data-role="status"]');
  const progBox = $<HTMLElement>('[data-role="progress-box"]');
  const prog = $<HTMLProgressElement>('[data-role="progress"]');
  const progText = $<HTMLElement>('[data-role="progress-text"]');
  const errBox = $<HTMLElement>('[data-role="error"]');
  const results = $<HTMLElement>('[data-role="results"]');
  const pasteNote = $<HTMLElement>('[data-role="paste-note"]');
  let file: File | null = null;
  let gen = 0;
  let sum: Summary | null = null;
  let win: WindowView | null = null;
  let winSize = root.clientWidth < 600 ? 12 : 24;
  const width = () => Math.round(Math.max(280, Math.min(root.clientWidth, 960)));
  let shown = 0;
  let suspectsOnly = false;

  const say = (msg: string, kind: 'info' | 'error' | 'busy' = 'info') => { status.textContent = msg; status.dataset.kind = kind; };
  // After "Try an example", the reader's own paste must not inherit the example's ksm_stat and kernel.
  let fromExample: { ksm: string; kernel: string; prevKernel: string } | null = null;
  smaps.addEventListener('input', () => {
    file = null; fileIn.value = ''; pasteNote.hidden = true;
    if (!fromExample) return;
    const cleared: string[] = [];
    if (ksm.value === fromExample.ksm) { ksm.value = ''; cleared.push('ksm_stat'); }
    if (kernel.value === fromExample.kernel && kernel.value !== fromExample.prevKernel) { kernel.value = fromExample.prevKernel; cleared.push(`kernel (back to ${kernel.selectedOptions[0]?.textContent ?? kernel.value})`); }
    if (cleared.length) say(`The example's ${cleared.join(' and ')} ${cleared.length > 1 ? 'were' : 'was'} reset for your input.`);
    fromExample = null;
  }, { passive: true });

  async function analyze(input: { text?: string; file?: File; source: string; size: number }) {
    // vm.max_map_count is checked as the CLI's --max-map-count is (and as the sysctl would).
    const mmc = maxmap.value.trim() === '' ? { value: DEFAULT_MAX_MAP_COUNT } : parseMaxMapCount(maxmap.value);
    if ('error' in mmc) { ++gen; showError({ name: 'Error', message: `${mmc.error}.` }); maxmap.setAttribute('aria-invalid', 'true'); return; }
    maxmap.removeAttribute('aria-invalid');
    const my = ++gen;
    const t0 = performance.now();
    errBox.hidden = true;
    const big = input.size > BIG;
    progBox.hidden = !big;
    prog.value = 0;
    progText.textContent = '';
    say(`Analysing ${input.source}…`, 'busy');
    root.setAttribute('aria-busy', 'true');
    const r = await ask({
      kind: 'analyze', text: input.text, file: input.file, kernel: kernel.value, maxMapCount: mmc.value,
      ksmStat: ksm.value.trim() ? ksm.value : undefined, source: input.source, windowSize: winSize, pageSize: PAGE, width: width(),
    }, (p) => {
      if (my !== gen) return;
      // Reading 0-10 %, parsing 10-80 %, the pairs 80-100 % (parsing is most of the work).
      const frac = p.total ? p.done / p.total : 0;
      const v = p.phase === 'read' ? 5 : p.phase === 'parse' ? 10 + 70 * frac : 80 + 20 * frac;
      prog.value = Math.round(v);
      progText.textContent = p.phase === 'read' ? 'reading the file' : p.phase === 'parse' ? `parsing, ${Math.round(frac * 100)} %` : `comparing neighbours, ${num(p.done)} of ${num(p.total)} VMAs`;
    });
    if (my !== gen) return;
    root.removeAttribute('aria-busy');
    progBox.hidden = true;
    if (r.kind === 'error') { showError(r.error); return; }
    if (r.kind !== 'result') return;
    sum = r.summary; win = r.window; shown = r.pairs.groups.length; suspectsOnly = false;
    results.innerHTML = renderResults(r.summary, r.pairs, r.window, r.report);
    results.hidden = false;
    placeView();
    const ms = performance.now() - t0;
    root.dataset.ms = ms.toFixed(0);
    root.dataset.workerMs = (r.timings.readMs + r.timings.analyseMs + r.timings.viewMs).toFixed(0);
    say(timingText(r.summary, r.timings, ms));
    $<HTMLElement>('#an-sum-h').focus({ preventScroll: false });
  }

  function timingText(s: Summary, t: Timings, ms: number) {
    const mb = t.chars > BIG ? ` (${(t.chars / 1024 / 1024).toFixed(1)} MB)` : '';
    return `Analysed ${num(s.summary.vmaCount)} VMAs${mb} in ${(ms / 1000).toFixed(2)} s in a Web Worker: ${t.readMs > 1 ? `reading ${(t.readMs / 1000).toFixed(2)} s, ` : ''}parse and analysis ${(t.analyseMs / 1000).toFixed(2)} s.`;
  }

  function showError(e: InputProblem) {
    results.hidden = true;
    say(`The input could not be analysed.`, 'error');
    const parts: string[] = [];
    if (e.problem) {
      parts.push(`<p class="an-err-problem"><strong>${e.line != null ? `Line ${num(e.line)}: ` : ''}</strong>${esc(cap(e.problem))}</p>`);
      parts.push(e.file === 'ksm_stat'
        ? `<p>In the <code>ksm_stat</code> field. Expected: the text of <code>/proc/PID/ksm_stat</code>, lines such as <code>ksm_rmap_items 12</code> and <code>ksm_merge_any: yes</code>, or nothing.</p>`
        : `<p>Expected: the text of <code>/proc/PID/smaps</code> (Linux): one header line per VMA, followed by its <code>Field: value</code> lines and a <code>VmFlags:</code> line.</p>`);
      if (e.hint) parts.push(`<p class="an-err-hint">${hintHtml(e.hint)}</p>`);
    } else {
      parts.push(`<p class="an-err-problem">${esc(e.message)}</p>`);
    }
    errBox.innerHTML = `<h2 class="an-err-h">Not analysed</h2>${parts.join('')}`;
    errBox.hidden = false;
    errBox.focus();
  }

  // ---- rendering ----
  const vmaText = (v: VmaLine) => `${hex(v.start)}-${hex(v.end)} ${v.perms} ${hex(v.offset).padStart(8, '0')} ${v.dev} ${v.inode}${v.name ? ' ' + v.name : ''}`;
  const flagsHtml = (flags: string, only: string[]) => flags.split(' ').filter(Boolean).map((m) => only.includes(m) ? `<mark>${esc(m)}</mark>` : esc(m)).join(' ');
  const linkify = (t: string) => esc(t).replace(/\/regression\/#([a-z-]+)/g, (_m, frag: string) => `<a href="/regression/#${frag}">the regression chapter</a>`);

  function renderResults(s: Summary, pairs: { groups: GroupView[]; total: number }, w: WindowView | null, report: string): string {
    const m = s.summary;
    const pct = m.maxMapCount > 0 ? (100 * m.vmaCount) / m.maxMapCount : 0;
    const k = s.kernel;
    // A whole sentence first ("Analysed the pasted text with the Linux 6.16 rules."), then the caveats.
    const kLine = k.known ? `Analysed ${esc(s.source)} with the Linux ${esc(k.profile)} rules.`
      : `Analysed ${esc(s.source)}. The kernel is unknown, so the ${esc(k.profile)} rules are applied, and version-dependent patterns are stated conditionally. Choose the kernel above for a definite answer.`;
    const ks = s.ksmStat;
    const ksmItems: string[] = [`<li><code>mg</code> (VM_MERGEABLE) on ${num(m.mgVmas)} of ${num(m.vmaCount)} VMAs</li>`];
    if (m.ksmKb !== null) ksmItems.push(`<li>smaps <code>KSM:</code> ${num(m.ksmKb)} kB</li>`);
    if (m.anonKb !== null) ksmItems.push(`<li><code>Anonymous:</code> ${num(m.anonKb)} kB</li>`);
    if (ks) {
      if (ks.mergeAny !== null) ksmItems.push(`<li><code>ksm_merge_any</code>: ${ks.mergeAny ? 'yes, the process called <code>prctl(PR_SET_MEMORY_MERGE, 1)</code>' : 'no'}</li>`);
      if (ks.mergeable !== null) ksmItems.push(`<li><code>ksm_mergeable</code>: ${ks.mergeable ? 'yes' : 'no'}</li>`);
      if (ks.mergingPages !== null) ksmItems.push(`<li><code>ksm_merging_pages</code>: ${num(ks.mergingPages)}</li>`);
      if (ks.zeroPages !== null) ksmItems.push(`<li><code>ksm_zero_pages</code>: ${num(ks.zeroPages)}</li>`);
      if (ks.rmapItems !== null) ksmItems.push(`<li><code>ksm_rmap_items</code>: ${num(ks.rmapItems)}</li>`);
      if (ks.processProfit !== null) ksmItems.push(`<li><code>ksm_process_profit</code>: ${num(ks.processProfit)} bytes</li>`);
    }
    const regression = m.regressionPairs ? `<div class="an-callout" data-role="regression">
      <p><strong>The <code>PR_SET_MEMORY_MERGE</code> regression pattern:</strong> ${num(m.regressionPairs)} pair${m.regressionPairs === 1 ? '' : 's'} of touching VMAs, identical and both <code>mg</code>, that ${k.known ? 'this kernel leaves apart' : 'a 6.4-6.16 kernel leaves apart'}:
      with <code>prctl(PR_SET_MEMORY_MERGE, 1)</code>, a new mapping gets VM_MERGEABLE only after the merge attempt (d7597f59d1d3, Linux 6.4; fixed by cf7e7a3503df in 6.17).
      <a href="${esc(s.regressionChapter)}">Read the regression chapter</a>.</p></div>` : '';
    const kinds = s.byKind.map((x) => `<tr><td>${esc(x.label)}${x.suspect ? ' <span class="an-tag">attributes match</span>' : ''}</td><td class="num">${num(x.count)}</td></tr>`).join('');
    const runs = s.runs.length ? `<h3>Largest runs of fragmentation</h3>
      <p class="an-help">VMAs in a row whose every boundary has identical visible attributes.</p>
      <ol class="an-runs">${s.runs.map((r, i) => `<li><span>${hex(r.start)}-${hex(r.end)}: <strong>${num(r.vmas)} VMAs</strong>, ${esc(r.perms)} ${r.name ? esc(r.name) : 'anonymous'} <code>[${esc(r.vmflags)}]</code>: ${esc(r.label)}</span>
        <button type="button" data-act="zoom" data-first="${Math.max(0, r.first - 1)}">Show run ${i + 1} in the picture</button></li>`).join('')}</ol>` : '';
    const unknowable = s.unknowable.length ? `<details class="an-unknowable"><summary>What smaps cannot show</summary>${s.unknowable.map((u) => `<p>${esc(u)}</p>`).join('')}</details>` : '';
    return `<section aria-labelledby="an-sum-h">
      <h2 id="an-sum-h" tabindex="-1">Summary</h2>
      <p class="an-source">${kLine}${s.reduced ? ' The input has only headers and VmFlags lines (no sizes).' : ''}</p>
      <div class="an-figs">
        <div class="an-fig"><span class="an-fig-n">${num(m.vmaCount)}</span><span class="an-fig-l">VMAs, of <code>vm.max_map_count</code> ${num(m.maxMapCount)} (${pct.toFixed(pct < 1 ? 2 : 1)} %)</span>
          <meter min="0" max="${m.maxMapCount}" value="${Math.min(m.vmaCount, m.maxMapCount)}" low="${Math.round(m.maxMapCount * 0.5)}" high="${Math.round(m.maxMapCount * 0.8)}" optimum="0" aria-label="VMAs used of vm.max_map_count">${pct.toFixed(1)} %</meter></div>
        <div class="an-fig"><span class="an-fig-n">${num(m.vmasIfMerged)}</span><span class="an-fig-l">VMAs if every pair whose visible attributes allow a merge merged (${num(m.suspectPairs)} fewer)</span></div>
        <div class="an-fig"><span class="an-fig-n">${num(m.touchingPairs)}</span><span class="an-fig-l">touching pairs that did not merge</span></div>
      </div>
      ${s.gate.length ? `<p class="an-help">The gate VMA ${s.gate.map(esc).join(', ')} is shown by smaps but not counted in map_count.</p>` : ''}
      ${regression}
      ${warningsHtml(s)}
      <div class="an-cols">
        <div><h3>Why the pairs did not merge</h3>${kinds ? `<table class="an-kinds"><thead><tr><th scope="col">Reason</th><th scope="col" class="num">Pairs</th></tr></thead><tbody>${kinds}</tbody></table>` : '<p>No two VMAs touch.</p>'}</div>
        <div><h3>KSM</h3><ul class="an-ksm-list">${ksmItems.join('')}</ul></div>
      </div>
      ${runs}
      ${unknowable}
    </section>
    <section aria-labelledby="an-pic-h">
      <h2 id="an-pic-h">The address space</h2>
      <p class="an-help">Every VMA in address order; bars show where touching VMAs stayed apart (red: the visible attributes allow the merge). Click the strip, or use the buttons, to zoom.</p>
      <div class="an-overview-box" data-role="overview">${s.overview}</div>
      <div class="an-winbar" role="group" aria-label="Zoomed window">
        <button type="button" data-act="win-prev">‹ Earlier VMAs</button>
        <label class="pg-field">Show <select data-role="winsize">${[12, 24, 48, 96].map((n) => `<option value="${n}"${n === winSize ? ' selected' : ''}>${n}</option>`).join('')}</select> VMAs</label>
        <button type="button" data-act="win-next">Later VMAs ›</button>
      </div>
      <figure class="an-window" data-role="window">${w ? windowHtml(w) : ''}</figure>
      <ul class="an-key" aria-label="Key to the picture"><li><span class="an-sw an-key-sus"></span> red line, <strong>!</strong>: not merged although the visible attributes allow it</li><li><span class="an-sw an-key-exp"></span> dashed: the VMAs differ visibly (flags, file, offset)</li><li><span class="an-sw an-key-mg"></span> thick outline: <code>mg</code> (VM_MERGEABLE)</li></ul>
    </section>
    <section aria-labelledby="an-pairs-h">
      <h2 id="an-pairs-h">Unmerged adjacent pairs</h2>
      <p class="an-help">Consecutive pairs with the same reason are grouped. <mark>Marked</mark> mnemonics are set on one side only.</p>
      <label class="pg-field an-only"><input type="checkbox" data-role="suspects"> Only pairs whose visible attributes allow a merge</label>
      <p data-role="pairs-count" class="an-count">${countText(pairs.groups.length, pairs.total)}</p>
      <ol class="an-pairs" data-role="pairs">${pairs.groups.map(pairHtml).join('')}</ol>
      <p><button type="button" data-act="more"${pairs.groups.length >= pairs.total ? ' hidden' : ''}>Show ${PAGE} more</button></p>
    </section>
    <section aria-labelledby="an-report-h">
      <h2 id="an-report-h">Text report</h2>
      <p class="an-help">The same analysis as plain text (what <code>npx mergeable analyze</code> prints), for screen readers and for pasting into a bug report.</p>
      <details class="an-report"><summary>Show the text report</summary>
        <p><button type="button" data-act="copy">Copy the report</button></p>
        <pre data-role="report" tabindex="0" aria-label="Text report">${esc(report)}</pre>
      </details>
    </section>`;
  }

  function warningsHtml(s: Summary): string {
    if (!s.warningCount) return '';
    const more = s.warningCount > s.warnings.length ? `<li>… and ${num(s.warningCount - s.warnings.length)} more</li>` : '';
    return `<div class="an-callout an-warnings" data-role="warnings"><p><strong>${num(s.warningCount)} part${s.warningCount === 1 ? '' : 's'} of the input ${s.warningCount === 1 ? 'is' : 'are'} not as the kernel prints ${s.warningCount === 1 ? 'it' : 'them'}</strong> (analysed as given):</p>
      <ul>${s.warnings.map((w) => `<li>${w.line !== null ? `Line ${num(w.line)}: ` : ''}${esc(w.text)}</li>`).join('')}${more}</ul></div>`;
  }

  const countText = (shownN: number, total: number) => `${num(total)} entr${total === 1 ? 'y' : 'ies'}${shownN < total ? `, the first ${num(shownN)} shown` : ''}.`;

  function pairHtml(g: GroupView): string {
    const r: ReasonView = sum!.reasons[g.reason]!;
    const head = g.boundaries === 1
      ? `at <code>${hex(g.at)}</code>`
      : `<code>${hex(g.left.start)}-${hex(g.last.end)}</code>: ${num(g.boundaries + 1)} touching VMAs, ${num(g.boundaries)} boundaries with the same reason`;
    return `<li class="an-pair${r.suspect ? ' suspect' : ''}${r.kind.startsWith('ksm') ? ' regression' : ''}">
      <p class="an-pair-head"><span class="an-kind">${esc(r.label)}</span> ${head}</p>
      <div class="an-vmas"><div><span class="an-side">left</span> <code>${esc(vmaText(g.left))}</code> <code class="an-flags">[${flagsHtml(g.left.vmflags, r.onlyLeft)}]</code></div>
        <div><span class="an-side">right</span> <code>${esc(vmaText(g.right))}</code> <code class="an-flags">[${flagsHtml(g.right.vmflags, r.onlyRight)}]</code></div></div>
      <p class="an-why"><strong>Why:</strong> ${linkify(r.text)}</p>
      ${r.kernelCheck ? `<p class="an-kcheck"><code>${esc(r.fn)}</code>: ${esc(r.kernelCheck)}</p>` : ''}
      ${r.suspect && r.unknowable ? `<details class="an-caveat"><summary>What smaps cannot show here</summary><p>${esc(r.unknowable)}</p></details>` : ''}
    </li>`;
  }

  function windowHtml(w: WindowView): string {
    return `${w.svg}<figcaption>${esc(w.title)}</figcaption>
      <details class="an-legend"><summary>The VMAs and boundaries of this view, as a list</summary><ul>${w.legend.map((l) => `<li><code>${esc(l)}</code></li>`).join('')}</ul></details>`;
  }

  function placeView() {
    if (!sum || !win) return;
    const svg = root.querySelector<SVGSVGElement>('svg.an-overview');
    const view = svg?.querySelector<SVGRectElement>('.ov-view');
    if (!svg || !view) return;
    const n = Number(svg.dataset.n), W = Number(svg.dataset.w);
    view.setAttribute('x', ((win.first / n) * W).toFixed(2));
    view.setAttribute('width', Math.max(2, ((win.last - win.first + 1) / n) * W).toFixed(2));
  }

  async function showWindow(first: number) {
    const r = await ask({ kind: 'window', first, size: winSize, width: width() });
    if (r.kind !== 'window') return;
    win = r.window;
    const fig = root.querySelector<HTMLElement>('[data-role="window"]');
    if (fig) fig.innerHTML = windowHtml(win);
    placeView();
    say(`Showing ${win.title}.`);
  }

  async function loadPairs(from: number) {
    const r = await ask({ kind: 'pairs', from, count: PAGE, suspectsOnly });
    if (r.kind !== 'pairs') return;
    const list = root.querySelector<HTMLElement>('[data-role="pairs"]')!;
    if (from === 0) list.innerHTML = '';
    list.insertAdjacentHTML('beforeend', r.groups.map(pairHtml).join(''));
    shown = from + r.groups.length;
    root.querySelector<HTMLElement>('[data-role="pairs-count"]')!.textContent = countText(shown, r.total);
    root.querySelector<HTMLElement>('[data-act="more"]')!.hidden = shown >= r.total;
    if (from > 0) list.children[from]?.querySelector<HTMLElement>('.an-pair-head')?.setAttribute('tabindex', '-1');
    if (from > 0) (list.children[from]?.querySelector('.an-pair-head') as HTMLElement | null)?.focus();
  }

  async function example() {
    say('Building the example process with the engine…', 'busy');
    const r = await ask({ kind: 'example' });
    if (r.kind !== 'example') { if (r.kind === 'error') showError(r.error); return; }
    fromExample = { ksm: r.example.ksmStat, kernel: r.example.kernel, prevKernel: fromExample?.prevKernel ?? kernel.value };
    smaps.value = r.example.smaps;
    ksm.value = r.example.ksmStat;
    kernel.value = r.example.kernel;
    file = null; fileIn.value = '';
    const det = root.querySelector<HTMLDetailsElement>('.an-ksm');
    if (det) det.open = true;
    await analyze({ text: r.example.smaps, source: r.example.source, size: r.example.smaps.length });
  }

  return {
    handle(ev: Event) {
      const t = ev.target as HTMLElement;
      if (ev.type === 'submit' || ev.type === 'keydown') {
        if (file && !smaps.value.trim()) { void analyze({ file, source: file.name, size: file.size }); return; }
        void analyze({ text: smaps.value, source: 'the pasted text', size: smaps.value.length });
        return;
      }
      if (ev.type === 'mg-big-paste') {
        const { text, limit } = (ev as CustomEvent<{ text: string; limit: number }>).detail;
        file = null; fileIn.value = '';
        const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
        pasteNote.textContent = `The paste is ${mb(text.length)}: over ${mb(limit)}, it is kept out of the text box (which would freeze the page) and analysed as it is. For input this large, open the saved file instead ("Or open a saved file").`;
        pasteNote.hidden = false;
        void analyze({ text, source: `the pasted text (${mb(text.length)})`, size: text.length });
        return;
      }
      if (ev.type === 'drop') {
        const f = (ev as DragEvent).dataTransfer?.files[0];
        if (f) { file = f; smaps.value = ''; void analyze({ file: f, source: f.name, size: f.size }); }
        return;
      }
      if (ev.type === 'change') {
        if (t === fileIn && fileIn.files?.[0]) { file = fileIn.files[0]; smaps.value = ''; void analyze({ file, source: file.name, size: file.size }); }
        else if (t.matches('[data-role="suspects"]')) { suspectsOnly = (t as HTMLInputElement).checked; void loadPairs(0); }
        else if (t.matches('[data-role="winsize"]')) { winSize = Number((t as HTMLSelectElement).value); void showWindow(win ? win.first : 0); }
        return;
      }
      if (ev.type === 'click') {
        const svg = t.closest('svg.an-overview');
        if (svg) {
          const box = svg.getBoundingClientRect();
          const n = Number((svg as SVGSVGElement).dataset.n);
          const i = Math.floor(((ev as MouseEvent).clientX - box.left) / box.width * n);
          void showWindow(Math.max(0, i - Math.floor(winSize / 2)));
          return;
        }
        const b = t.closest('button');
        const act = b?.dataset.act;
        if (act === 'example') void example();
        else if (act === 'zoom') void showWindow(Number(b!.dataset.first)).then(() => root.querySelector<HTMLElement>('#an-pic-h')?.scrollIntoView({ block: 'start' }));
        else if (act === 'win-prev' && win) void showWindow(win.first - winSize);
        else if (act === 'win-next' && win) void showWindow(win.first + winSize);
        else if (act === 'more') void loadPairs(shown);
        else if (act === 'copy') {
          const text = root.querySelector('[data-role="report"]')?.textContent ?? '';
          navigator.clipboard?.writeText(text).then(() => say('The report was copied.'), () => say('Copying failed: select the report and copy it.', 'error'));
        }
      }
    },
  };
}

/** "Run: cat /proc/PID/smaps   (or: npx mergeable analyze PID)": the command as code, the aside as text. */
function hintHtml(h: string): string {
  const m = /^([^:]*?(?:Run|file|time|needs)):\s+(.*)$/.exec(h);
  if (!m) return esc(h);
  const [cmd, ...rest] = m[2]!.split(/\s{2,}/);
  return `${esc(m[1]!)}: <code>${esc(cmd!)}</code>${rest.length ? ' ' + esc(rest.join(' ')) : ''}`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
