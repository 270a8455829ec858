// Playground controller, loaded on first interaction: version switch, compare, step-through,
// Run (Web Worker with a time limit), Edit (Monaco, or a plain editor on phones), Reset, Share.
import type { RunView } from '../../src/site/run-view';
import { C_EXPORT_STEPS, LINES_SHOWN } from '../../src/site/view-limits';
import { grouped, plural, stepOf } from '../../src/site/grouped';
import type { ScenarioData } from '../../src/site/playground-model';
import { h, render as renderInto } from '../../src/site/dom';
import { encodeShare, decodeShare } from '../../src/site/share';
import type { RunControl } from './run-client';
import { outcomeMessage } from './outcome';
import { downloadText } from './download';
import type { CodeProblem, EditorHandle } from './editor-types';

const STORE = 'mergeable:code:';
const isPhone = () => matchMedia('(pointer: coarse)').matches || innerWidth < 700;
let monacoPrefetch: Promise<unknown> | null = null;

export function prefetchEditor(): void {
  if (!isPhone()) monacoPrefetch ??= import('./editor-monaco').then((m) => m.preload()).catch(() => undefined);
}

// What only a run needs (the sandbox client with its reply schema, the renderer, the diff) is
// loaded on Run, not with the editor: 21 KB gzip of the editor's first 1 MB.
type OutputModules = [typeof import('../../src/site/output-html'), typeof import('../../src/site/diff')];
let outputModule: Promise<OutputModules> | null = null;
const outputHtml = () => (outputModule ??= Promise.all([import('../../src/site/output-html'), import('../../src/site/diff')]));
/** What the status line says when one of those did not load (offline, a new deploy). */
const notLoaded = (what: string, e: unknown) => `the page's ${what} did not load (${(e as Error).message}). Reload the page; your edits are kept.`;

/** A run that failed and has already said why (in the status line and the output). */
class Reported extends Error {}

interface State {
  version: string; compare: boolean; versionB: string; step: number | null;
  custom: Record<string, RunView> | null;   // results of a Run of the reader's code
  lines: number;                             // lines of console.log and maps shown ("Show more" adds)
}

export function attach(root: HTMLElement) {
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const id = root.dataset.id!;
  const out = $<HTMLElement>('[data-role="output"]');
  const status = $<HTMLElement>('[data-role="status"]');
  const pos = $<HTMLElement>('[data-role="pos"]');
  const selA = $<HTMLSelectElement>('[data-role="version"]');
  const selB = $<HTMLSelectElement>('[data-role="version-b"]');
  const cmp = $<HTMLInputElement>('[data-role="compare"]');
  const codeBox = $<HTMLElement>('[data-role="code"]');
  const editorBox = $<HTMLElement>('[data-role="editor"]');
  const tabNote = $<HTMLElement>('[data-role="tabnote"]');
  const btn = (act: string) => $<HTMLButtonElement>(`[data-act="${act}"]`);
  const original = codeBox.querySelector('pre')?.textContent ?? '';
  // The build's highlighted code, kept as nodes for Reset (never re-parsed from a string).
  const originalCode = [...codeBox.childNodes].map((n) => n.cloneNode(true));
  /** Show code that is not the original (restored edits, a shared link) without loading the editor. */
  const showPlain = (c: string) => {
    const pre = document.createElement('pre');
    pre.className = 'pg-plain';
    pre.tabIndex = 0;
    pre.textContent = c;
    codeBox.replaceChildren(pre);
  };
  const compareDefault = root.dataset.compare ? root.dataset.compare.split(',') : null;
  const st: State = {
    version: selA.value, compare: cmp.checked, versionB: selB.value, step: null, custom: null, lines: LINES_SHOWN,
  };
  let running: RunControl | null = null;
  let data: Promise<ScenarioData> | null = null;
  let editor: EditorHandle | null = null;
  let code = original;
  let pendingShared = false;
  /** The compare checkbox, the state and the second selector together (a change event or a shared link). */
  const setCompare = (on: boolean) => { st.compare = cmp.checked = on; selB.disabled = !on; };

  const say = (msg: string, kind: 'info' | 'error' | 'busy' = 'info') => { status.textContent = msg; status.dataset.kind = kind; };
  const loadData = () => (data ??= fetch(root.dataset.data!).then((r) => {
    if (!r.ok) throw new Error(`could not load the precomputed results (${r.status})`);
    return r.json() as Promise<ScenarioData>;
  }));
  const stored = () => { try { return localStorage.getItem(STORE + id); } catch { return null; } };
  const store = (c: string | null) => { try { c === null ? localStorage.removeItem(STORE + id) : localStorage.setItem(STORE + id, c); } catch { /* not persisted */ } };
  const edited = () => code !== original;

  async function views(): Promise<{ a: RunView; b: RunView | null }> {
    const want = st.compare ? [st.version, st.versionB] : [st.version];
    if (st.custom && want.every((v) => st.custom![v])) {
      return { a: st.custom[want[0]], b: want[1] ? st.custom[want[1]] : null };
    }
    if (edited() || st.custom) { await run(); return views(); }
    const first = data === null;
    if (first) say('Loading the precomputed results…', 'busy');
    const d = await loadData();
    if (first) say('');
    return { a: d.views[want[0]], b: want[1] ? d.views[want[1]] : null };
  }

  function stepCount(v: RunView) { return v.steps.length; }

  async function render() {
    let a: RunView, b: RunView | null;
    try { ({ a, b } = await views()); } catch (e) { if (!(e instanceof Reported)) say(String((e as Error).message ?? e), 'error'); return; }
    const n = Math.max(stepCount(a), b ? stepCount(b) : 0);
    if (st.step !== null && st.step >= n) st.step = n ? n - 1 : null;
    const uid = root.id || 'pg';
    // Built as DOM nodes from the (validated) views: nothing in a run's output is parsed as HTML.
    let mod: Awaited<ReturnType<typeof outputHtml>>;
    try { mod = await outputHtml(); }
    catch (e) { outputModule = null; say(`The output could not be shown: ${notLoaded('renderer', e)}`, 'error'); return; }
    const [{ compareNode, singleNode }, { diffResults }] = mod;
    renderInto(out, b ? compareNode(a, b, diffResults(a, b), uid, st.step, st.lines) : singleNode(a, { uid, step: st.step, lines: st.lines }));
    delete out.dataset.stale;
    // Keep the selected step in view inside a long, boxed step list (without scrolling the page).
    for (const box of out.querySelectorAll<HTMLElement>('.pg-steps-box')) {
      const cur = box.querySelector<HTMLElement>('.pg-step.current');
      // A third of the way down, or higher if the step is tall, so that as much of it as fits shows.
      if (cur) box.scrollTop = cur.offsetTop - Math.max(8, Math.min(box.clientHeight / 3, box.clientHeight - cur.offsetHeight));
    }
    pos.textContent = st.step === null ? `Final state (${plural(n, 'step')})` : `Step ${stepOf(st.step, n)}`;
    btn('prev').disabled = st.step === 0 || n === 0;
    btn('first').disabled = st.step === 0 || n === 0;
    btn('next').disabled = st.step === null;
    btn('last').disabled = st.step === null;
    const err = a.error ?? b?.error;
    if (err?.line) editor?.markError(err.line, err.message); else editor?.clearError();
  }

  /** Show a run that produced no views: the error box replaces the output (the old output would be stale). */
  function showFailure(msg: { status: string; name: string; message: string; line?: number; column?: number }) {
    say(msg.status, 'error');
    const where = msg.line ? ` (line ${msg.line}${msg.column ? `:${msg.column}` : ''})` : '';
    renderInto(out, h('div', { class: 'pg-error', role: 'alert' }, h('strong', null, `${msg.name}${where}:`), ` ${msg.message}`));
    out.dataset.stale = 'true';
    // No trace to step through: say so rather than offer buttons that do nothing.
    pos.textContent = 'No trace (the run did not finish)';
    for (const b of ['first', 'prev', 'next', 'last']) btn(b).disabled = true;
  }

  async function run() {
    if (running) { running.stop?.(); return; }
    const want = st.compare ? [st.version, st.versionB] : [st.version];
    void outputHtml().catch(() => undefined);   // fetched while the run runs
    const b = btn('run');
    const ctl: RunControl = {
      onProgress: (n, ms) => say(`Running on ${want.join(' and ')}… ${grouped(n)} syscalls in ${(ms / 1000).toFixed(1)} s (press Stop to end it).`, 'busy'),
    };
    if (editor?.check && edited()) {
      say('Checking the code…', 'busy');
      let problems: CodeProblem[] = [];
      try { problems = await editor.check(); } catch { /* no TypeScript worker: the sandbox still checks the syntax */ }
      if (problems.length) {
        st.custom = null;
        const m = problemMessage(problems);
        showFailure(m);
        editor.markError(m.line, m.message, m.column);
        throw new Reported('check');
      }
    }
    let runInSandbox: typeof import('./run-client').runInSandbox;
    try { ({ runInSandbox } = await import('./run-client')); }
    catch (e) {
      const why = notLoaded('sandbox client', e);
      showFailure({ status: `Not run: ${why}`, name: 'Not run', message: why });
      throw new Reported('load');
    }
    running = ctl;
    b.textContent = 'Stop';
    b.setAttribute('aria-label', 'Stop the run');
    say(`Running on ${want.join(' and ')}…`, 'busy');
    out.dataset.stale = 'true';
    const t0 = performance.now();
    const res = await runInSandbox(code, want, ctl);
    // Render in a task of its own: parsing a big reply and drawing it in one task held the page for over 100 ms.
    await new Promise((r) => setTimeout(r));
    running = null;
    b.textContent = 'Run';
    b.removeAttribute('aria-label');
    if (res.kind !== 'ok') {
      st.custom = null;
      const m = outcomeMessage(res);
      if (res.kind === 'compile' && res.line) editor?.markError(res.line, res.message, res.column);
      else editor?.clearError();
      showFailure(m);
      throw new Reported(res.kind);
    }
    st.custom = res.views;
    st.lines = LINES_SHOWN;
    const ms = Math.round(performance.now() - t0);
    const failed = Object.values(res.views).find((v) => v.error);
    const calls = `${plural(res.syscalls, 'syscall')}, engine ${Math.round(res.engineMs)} ms`;
    say(failed ? `Ran in ${ms} ms (${calls}); the scenario stopped with an error on ${failed.version} (shown below).` : `Ran on ${want.join(' and ')} in ${ms} ms (${calls}).`, failed ? 'error' : 'info');
  }

  async function openEditor() {
    if (editor) { editor.focus(); return; }
    const b = btn('edit');
    b.disabled = true;
    say('Loading the editor…', 'busy');
    const t0 = performance.now();
    try {
      const mod = isPhone() ? await import('./editor-plain') : await import('./editor-monaco');
      editorBox.hidden = false;
      editor = await mod.createEditor(editorBox, { code, id, onChange: (c: string) => { code = c; store(edited() ? c : null); btn('reset').hidden = !edited(); }, onRun: () => handleAct('run') });
      codeBox.hidden = true;
      tabNote.hidden = isPhone();
      b.setAttribute('aria-expanded', 'true');
      b.textContent = 'Editing';
      root.dataset.editorReadyMs = String(Math.round(performance.now() - t0));
      say(`Editor ready${isPhone() ? ' (plain editor on small screens)' : ''}. Edit the code, then press Run.`);
      editor.focus();
    } catch (e) {
      say(`The editor could not be loaded: ${(e as Error).message}. You can still Run the code shown.`, 'error');
      editorBox.hidden = true;
    } finally { b.disabled = false; }
  }

  /** "Download log / maps / smaps": the full text of that panel of the column the button is in. */
  async function download(t: HTMLElement) {
    const what = t.dataset.what;
    const version = t.closest<HTMLElement>('.pg-run')?.dataset.version ?? st.version;
    const v = (st.custom ?? (await loadData()).views)[version];
    if (!v) return;
    const text = what === 'log' ? v.log.join('\n') : what === 'smaps' ? v.final.smapsMg.join('\n') : v.final.maps;
    downloadText(`${id.replace(/\//g, '-')}-${version}.${what}.txt`, text);
    say(`Downloaded the ${what === 'log' ? 'console.log output' : what} of ${version}.`);
  }

  async function handleAct(act: string, t?: Element) {
    switch (act) {
      case 'first': st.step = 0; return render();
      case 'last': st.step = null; return render();
      case 'prev': { const v = await views(); const n = Math.max(v.a.steps.length, v.b?.steps.length ?? 0); st.step = st.step === null ? n - 1 : Math.max(0, st.step - 1); return render(); }
      case 'next': { const v = await views(); const n = Math.max(v.a.steps.length, v.b?.steps.length ?? 0); st.step = st.step === null ? null : st.step + 1 >= n ? null : st.step + 1; return render(); }
      case 'edit': return openEditor();
      case 'run':
        if (running) { running.stop?.(); return; }
        try { pendingShared = false; await run(); await render(); } catch { /* reported */ }
        return;
      case 'reset':
        running?.stop?.();
        code = original; st.custom = null; store(null); editor?.setValue(original); pendingShared = false;
        if (!editor) codeBox.replaceChildren(...originalCode.map((n) => n.cloneNode(true)));
        btn('reset').hidden = true; editor?.clearError();
        await render();
        say('Original scenario restored: its precomputed output is shown.');
        return;
      case 'more-lines': st.lines += 2000; return render();
      case 'show-all':   // the build rendered the first screen; the rest comes from the scenario's JSON
        await render();
        out.focus({ preventScroll: true });
        return;
      case 'download': return download(t as HTMLElement);
      case 'export-c': case 'export-selftest': {
        // Both fill the same box: the C reproducer, or merge.c's TEST_F (toSelftest()).
        const selftest = act === 'export-selftest';
        const what = selftest ? 'Export as selftest' : 'Export as C';
        const box = $<HTMLElement>('[data-role="cexport"]');
        const b = btn(act);
        const other = btn(selftest ? 'export-c' : 'export-selftest');
        if (!box.hidden && b.getAttribute('aria-expanded') === 'true') { box.hidden = true; b.setAttribute('aria-expanded', 'false'); return; }
        if (pendingShared) { say(`Code from a shared link: press Run first; ${what} shows the calls of a run.`); return; }
        if (!st.custom?.[st.version]) { try { await run(); await render(); } catch { return; } }
        const ran = st.custom?.[st.version];
        if (!ran?.c && ran && ran.steps.length > C_EXPORT_STEPS) {
          say(`This run made ${plural(ran.steps.length, 'call')}; ${what} covers runs of up to ${grouped(C_EXPORT_STEPS)}. ` +
            `In a terminal: npx mergeable run scenario.ts --format ${selftest ? 'selftest' : 'c'}`, 'error');
          return;
        }
        if (!ran?.c) { say('Nothing to export: the run produced no calls.', 'error'); return; }
        if (selftest && ran.selftest && 'error' in ran.selftest) { say(`No selftest: ${ran.selftest.error}`, 'error'); return; }
        const c = selftest && ran.selftest && 'c' in ran.selftest ? ran.selftest.c : ran.c;
        const name = selftest ? `TEST_F(merge, ...) for tools/testing/selftests/mm/merge.c, ${st.version},` : `C reproducer for ${st.version}`;
        box.querySelector('pre')!.textContent = c;
        box.querySelector('pre')!.setAttribute('aria-label', selftest ? 'merge.c selftest' : 'C reproducer');
        for (const p of box.querySelectorAll<HTMLElement>('[data-mode]')) p.hidden = p.dataset.mode !== (selftest ? 'selftest' : 'c');
        box.hidden = false;
        b.setAttribute('aria-expanded', 'true');
        other.setAttribute('aria-expanded', 'false');
        try { await navigator.clipboard.writeText(c); say(`${name} copied, and shown below.`); }
        catch { say(`${name} shown below.`); }
        return;
      }
      case 'share': {
        let hash: string;
        try { hash = await encodeShare({ id, version: st.version, compare: st.compare ? st.versionB : '', code }); }
        catch (e) { say((e as Error).message, 'error'); return; }
        const url = location.href.split('#')[0] + hash;
        history.replaceState(null, '', hash);
        try { await navigator.clipboard.writeText(url); say('Link copied. Code from a link is shown, and runs only when the reader presses Run.'); }
        catch { say(`Share link (copy it from the address bar): ${url}`); }
        return;
      }
    }
  }

  function handle(ev: Event) {
    const t = ev.target as HTMLElement;
    if (ev.type === 'click') {
      const button = t.closest('button');
      const act = button?.dataset.act;
      if (act) void handleAct(act, button!);
      // A step in the list, or a step's column in the map_count chart.
      const li = t.closest<HTMLElement | SVGElement>('[data-step]');
      if (!act && li?.dataset.step && !t.closest('a, details')) { st.step = Number(li.dataset.step); void render(); }
    } else if (ev.type === 'change') {
      if (t === cmp) setCompare(cmp.checked);
      if (t === selA) st.version = selA.value;
      if (t === selB) st.versionB = selB.value;
      if (pendingShared) { say('Code from a shared link: press Run to execute it.'); return; }
      if (st.compare && st.version === st.versionB) {
        out.dataset.stale = 'true';
        say(`Compare needs two different versions: both selectors say ${st.version}. Choose another one to compare with.`, 'error');
        return;
      }
      void render();
    } else if (ev.type === 'keydown') {
      const k = (ev as KeyboardEvent).key;
      const map: Record<string, string> = { ArrowLeft: 'prev', ArrowRight: 'next', Home: 'first', End: 'last' };
      if (map[k]) void handleAct(map[k]);
    }
  }

  // Edits kept from an earlier visit, or code from a share link (shown, not run).
  (async () => {
    let shared = null;
    try { shared = await decodeShare(location.hash); } catch (e) { say((e as Error).message, 'error'); }
    if (shared && shared.id === id) {
      code = shared.code;
      const known = [...selA.options].map((o) => o.value);
      let note = '';
      const unmodelled = (v: string) => `Linux ${v.slice(0, 24)}, which this site does not model (it has ${known[0]}–${known[known.length - 1]})`;
      if (shared.version && known.includes(shared.version)) {
        selA.value = shared.version;
        st.version = shared.version;
      }
      else if (shared.version) note = ` The link asks for ${unmodelled(shared.version)}: ${st.version} is selected instead.`;
      // c= names the compare column's kernel ("" for compare off); a link without it keeps this playground's.
      if (shared.compare === '') setCompare(false);
      else if (shared.compare !== undefined && known.includes(shared.compare)) {
        selB.value = st.versionB = shared.compare;
        setCompare(true);
      }
      else if (shared.compare !== undefined) note += ` The link asks to compare with ${unmodelled(shared.compare)}: the second column stays ${st.versionB}.`;
      // Never the same kernel twice: a link naming the compare column's kernel shows it alone.
      if (st.compare && st.versionB === st.version) setCompare(false);
      pendingShared = true;
      showPlain(code);
      btn('reset').hidden = !edited();
      say(`This code comes from a shared link. It has not run: read it (Edit to change it), then press Run.${note}`, note ? 'error' : 'info');
      root.scrollIntoView({ block: 'start' });
      return;
    }
    const s = stored();
    if (s !== null && s !== original) {
      code = s;
      showPlain(code);
      btn('reset').hidden = false;
      say('Your edits from an earlier visit were restored (shown above). Press Run to see their output, Edit to continue, or Reset for the original.');
    }
  })();

  void compareDefault;
  return { handle };
}

/** Errors found before running, as the failure box and status line say them. */
function problemMessage(problems: CodeProblem[]): { status: string; name: string; message: string; line: number; column: number } {
  const syntax = problems.some((x) => x.syntax);
  const first = syntax ? problems.find((x) => x.syntax)! : problems[0];
  const kind = syntax ? 'syntax error' : 'type error';
  const more = problems.length > 1 ? ` (and ${plural(problems.length - 1, 'more error')}, marked in the editor)` : '';
  const fix = syntax ? 'Fix it, then press Run.' : 'Fix it (or put // @ts-expect-error on the line above to run it anyway), then press Run.';
  return {
    status: `Not run: a ${kind} at line ${first.line}:${first.column}${more}. ${fix}`,
    name: syntax ? 'SyntaxError' : 'Type error', message: first.message, line: first.line, column: first.column,
  };
}
