// Plain editor for phones (Monaco does not support mobile browsers): a textarea that can Run.
import type { EditorHandle, EditorOptions } from './editor-types';

export async function createEditor(box: HTMLElement, o: EditorOptions): Promise<EditorHandle> {
  box.classList.add('plain');
  const label = document.createElement('label');
  label.className = 'visually-hidden';
  label.htmlFor = `ed-${o.id}`;
  label.textContent = 'Scenario code (TypeScript)';
  const ta = document.createElement('textarea');
  ta.id = `ed-${o.id}`;
  ta.spellcheck = false;
  ta.autocapitalize = 'off';
  ta.setAttribute('autocorrect', 'off');
  ta.value = o.code;
  ta.rows = Math.min(30, o.code.split('\n').length + 1);
  const err = document.createElement('p');
  err.className = 'pg-editor-error';
  err.hidden = true;
  ta.addEventListener('input', () => o.onChange(ta.value));
  ta.addEventListener('keydown', (e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); o.onRun(); } });
  box.replaceChildren(label, ta, err);
  return {
    focus: () => ta.focus(),
    setValue: (c) => { ta.value = c; },
    markError: (line, message, column) => { err.hidden = false; err.textContent = `Line ${line}${column ? `:${column}` : ''}: ${message}`; },
    clearError: () => { err.hidden = true; },
  };
}
