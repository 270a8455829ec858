// Exercise controller, loaded on first interaction: Edit (Monaco, or a textarea on phones),
// Check (the reader's code in the site's run worker, on the goal's versions), Reset. Reuses the
// playground's worker runner, editors and output renderer.
import { runInSandbox } from '../playground/run-client';
import { outcomeMessage } from '../playground/outcome';
import type { EditorHandle } from '../playground/editor-types';
import { singleNode, errorNode } from '../../src/site/output-html';
import { h, render } from '../../src/site/dom';
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
    const res = await runInSandbox(code, versions);
    btn('check').disabled = false;
    if (res.kind !== 'ok') {
      const m = outcomeMessage(res);
      say(m.status, 'error');
      if (res.kind === 'compile' && res.line) editor?.markError(res.line, res.message, res.column);
      render(result, errorNode({ name: m.name, message: m.message, line: m.line }));
      return;
    }
    editor?.clearError();
    const g = checkGoal(goal, res.views);
    const claims = g.versions.flatMap((v) => v.checks.map((c) => h('li', { class: `pg-claim ${c.ok ? 'ok' : 'bad'}` },
      h('span', { 'aria-hidden': 'true' }, c.ok ? '✓' : '✗'), ` ${v.version}: ${c.text}`,
      !c.ok && [' ', h('span', { class: 'ex-actual' }, `(yours: ${c.actual})`)])));
    const first = res.views[versions[0]];
    const err = first.error?.line ? first.error : null;
    if (err?.line) editor?.markError(err.line, err.message);
    render(result, [h('ul', { class: 'ex-claims', 'aria-label': 'Goal' }, claims),
      h('div', { class: 'pg-output' }, singleNode(first, { uid: root.id || 'ex', step: null, stepping: false }))]);
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
    btn('reset').hidden = true; result.replaceChildren();
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
