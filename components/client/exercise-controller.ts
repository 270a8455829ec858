// Exercise controller, loaded on first interaction: Edit (Monaco, or a textarea on phones),
// Check (the reader's code in the site's run worker, on the goal's versions), Reset. Reuses the
// playground's worker runner, editors and output renderer.
import { runInWorker, TIME_LIMIT_MS } from '../playground/run-client';
import type { EditorHandle } from '../playground/editor-types';
import { runHtml, errorHtml } from '../../src/site/output-html';
import { esc } from '../../src/site/html';
import { checkGoal, goalVersions } from './exercise-check';
import { markSolved, saveCode, savedCode } from './exercise-progress';

const isPhone = () => matchMedia('(pointer: coarse)').matches || innerWidth < 700;

export function attach(root: HTMLElement & { markSolved?: () => void }) {
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const id = root.dataset.id!;
  const goal = root.dataset.goal!;
  const codeBox = $<HTMLElement>('[data-role="code"]');
  const editorBox = $<HTMLElement>('[data-role="editor"]');
  const status = $<HTMLElement>('[data-role="status"]');
  const result = $<HTMLElement>('[data-role="result"]');
  const btn = (act: string) => $<HTMLButtonElement>(`button[data-act="${act}"]`);
  const original = codeBox.querySelector('pre')?.textContent ?? '';
  let code = savedCode(id) ?? original;
  let editor: EditorHandle | null = null;
  const say = (msg: string, kind: 'info' | 'error' | 'busy' | 'ok' = 'info') => { status.textContent = msg; status.dataset.kind = kind; };

  async function openEditor() {
    if (editor) { editor.focus(); return; }
    btn('edit').disabled = true;
    say('Loading the editor…', 'busy');
    try {
      const mod = isPhone() ? await import('../playground/editor-plain') : await import('../playground/editor-monaco');
      editorBox.hidden = false;
      editor = await mod.createEditor(editorBox, {
        code, id: `exercise-${id.replace('/', '-')}`,
        onChange: (c: string) => { code = c; saveCode(id, c === original ? null : c); btn('reset').hidden = c === original; },
        onRun: () => void check(),
      });
      codeBox.hidden = true;
      btn('edit').setAttribute('aria-expanded', 'true');
      btn('edit').textContent = 'Editing';
      say('Edit the code, then press Check.');
      editor.focus();
    } catch (e) {
      say(`The editor could not be loaded: ${(e as Error).message}.`, 'error');
      editorBox.hidden = true;
    } finally { btn('edit').disabled = false; }
  }

  async function check() {
    const versions = goalVersions(goal);
    btn('check').disabled = true;
    say(`Checking on ${versions.join(' and ')}…`, 'busy');
    const res = await runInWorker(code, versions);
    btn('check').disabled = false;
    if (res.kind === 'timeout') {
      say(`Stopped after ${TIME_LIMIT_MS / 1000} s: the code did not finish (infinite loop?).`, 'error');
      result.innerHTML = errorHtml({ name: 'Timeout', message: `stopped after ${TIME_LIMIT_MS / 1000} s` });
      return;
    }
    if (res.kind === 'error') {
      say(`The code does not compile${res.line ? ` (line ${res.line})` : ''}: ${res.message}`, 'error');
      if (res.line) editor?.markError(res.line, res.message);
      result.innerHTML = errorHtml({ name: 'SyntaxError', message: res.message, line: res.line });
      return;
    }
    editor?.clearError();
    const g = checkGoal(goal, res.views);
    const claims = g.versions.map((v) => v.checks.map((c) =>
      `<li class="pg-claim ${c.ok ? 'ok' : 'bad'}"><span aria-hidden="true">${c.ok ? '✓' : '✗'}</span> ${esc(v.version)}: ${esc(c.text)}${c.ok ? '' : ` <span class="ex-actual">(yours: ${esc(c.actual)})</span>`}</li>`).join('')).join('');
    const first = res.views[versions[0]];
    const err = first.error?.line ? first.error : null;
    if (err?.line) editor?.markError(err.line, err.message);
    result.innerHTML = `<ul class="ex-claims" aria-label="Goal">${claims}</ul>` +
      `<div class="pg-output"><div class="pg-cols one"><div class="pg-run" data-version="${esc(first.version)}">${runHtml(first, { uid: root.id || 'ex', step: null, stepping: false })}</div></div></div>`;
    if (g.ok) {
      markSolved(id);
      root.markSolved?.();
      say('Solved: every part of the goal holds. Your progress is saved in this browser.', 'ok');
    } else {
      say('Not yet: the parts marked ✗ do not hold. Open a hint if you are stuck.', 'error');
    }
  }

  function reset() {
    code = original; saveCode(id, null); editor?.setValue(original);
    btn('reset').hidden = true; result.innerHTML = '';
    say('Starting code restored.');
  }

  if (code !== original) {
    btn('reset').hidden = false;
    void openEditor().then(() => say('Your code from an earlier visit was restored. Press Check, or Reset for the starting code.'));
  }

  return {
    handle(ev: Event) {
      const act = (ev.target as HTMLElement).closest<HTMLElement>('button[data-act]')?.dataset.act;
      if (act === 'edit') void openEditor();
      else if (act === 'check') void check();
      else if (act === 'reset') reset();
    },
  };
}
