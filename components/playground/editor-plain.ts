// Plain editor for phones (Monaco does not support mobile browsers): a textarea that can Run, with
// line numbers beside it and no soft wrap, so that "line 14" in an error is a line one can find.
import type { EditorHandle, EditorOptions } from './editor-types';

export async function createEditor(box: HTMLElement, o: EditorOptions): Promise<EditorHandle> {
  box.classList.add('plain');
  const label = document.createElement('label');
  label.className = 'visually-hidden';
  label.htmlFor = `ed-${o.id}`;
  label.textContent = 'Scenario code (TypeScript)';
  const wrap = document.createElement('div');
  wrap.className = 'pg-plain-ed';
  const gutter = document.createElement('pre');
  gutter.className = 'pg-gutter';
  gutter.setAttribute('aria-hidden', 'true');
  const ta = document.createElement('textarea');
  ta.id = `ed-${o.id}`;
  ta.spellcheck = false;
  ta.autocapitalize = 'off';
  ta.wrap = 'off';
  ta.setAttribute('autocorrect', 'off');
  ta.value = o.code;
  const err = document.createElement('p');
  err.className = 'pg-editor-error';
  err.hidden = true;
  let marked = 0;
  const numbers = () => {
    const n = ta.value.split('\n').length;
    ta.rows = Math.min(30, n + 1);
    gutter.textContent = Array.from({ length: n }, (_, i) => (i + 1 === marked ? `▶${i + 1}` : String(i + 1))).join('\n');
    gutter.scrollTop = ta.scrollTop;
  };
  numbers();
  ta.addEventListener('input', () => { o.onChange(ta.value); numbers(); });
  ta.addEventListener('scroll', () => { gutter.scrollTop = ta.scrollTop; });
  ta.addEventListener('keydown', (e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); o.onRun(); } });
  wrap.append(gutter, ta);
  box.replaceChildren(label, wrap, err);
  return {
    focus: () => ta.focus(),
    setValue: (c) => { ta.value = c; numbers(); },
    markError: (line, message, column) => {
      err.hidden = false;
      err.textContent = `Line ${line}${column ? `:${column}` : ''}: ${message}`;
      marked = line;
      numbers();
      // Select the spot, so that the caret is there when the reader goes back to the code.
      const lines = ta.value.split('\n');
      const at = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, (column ?? 1) - 1);
      ta.setSelectionRange(at, Math.min(at + 1, ta.value.length));
    },
    clearError: () => { err.hidden = true; marked = 0; numbers(); },
  };
}
