/// <reference types="vite/client" />
// Monaco, loaded only when the reader asks to edit: completion and type errors from the engine's
// own declarations (/engine-types.json), highlighting by Shiki with the static blocks' themes.
import type { EditorHandle, EditorOptions } from './editor-types';
import { loadMonaco } from './monaco-load';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker.js?worker';

type Monaco = typeof import('./monaco-entry');
const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker: (_: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
};

let ready: Promise<Monaco> | null = null;

async function setup(): Promise<Monaco> {
  const [monaco, { createHighlighterCore }, { createJavaScriptRegexEngine }, { shikiToMonaco }] = await Promise.all([
    loadMonaco(),
    import('shiki/core'),
    import('shiki/engine/javascript'),
    import('@shikijs/monaco'),
  ]);
  const highlighter = await createHighlighterCore({
    themes: [import('shiki/themes/github-light-default.mjs'), import('shiki/themes/github-dark-default.mjs')],
    langs: [import('shiki/langs/typescript.mjs')],
    engine: createJavaScriptRegexEngine(),
  });
  shikiToMonaco(highlighter, monaco as never);
  return monaco;
}

/** The TypeScript language with the engine's own declarations (/engine-types.json): squiggles, hovers, completion, check(). */
async function typescript(monaco: Monaco) {
  const types = await fetch('/engine-types.json').then((r) => {
    if (!r.ok) throw new Error(`engine type declarations not found (${r.status})`);
    return r.json() as Promise<{ files: Record<string, string> }>;
  });
  return monaco.startTypeScript((ts) => {
    ts.typescriptDefaults.setCompilerOptions({
      target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.NodeJs,
      strict: true, noEmit: true, allowNonTsExtensions: true, lib: ['es2022', 'dom'],
    });
    for (const [path, text] of Object.entries(types.files)) {
      ts.typescriptDefaults.addExtraLib(text, `file:///node_modules/@types/mergeable/${path}`);
    }
  });
}

export function preload(): Promise<Monaco> {
  return (ready ??= setup());
}

const themeNow = () => {
  const t = document.documentElement.dataset.theme;
  const dark = t ? t === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  return dark ? THEMES.dark : THEMES.light;
};

/** Typing that stops this long starts the TypeScript language and its worker (squiggles, hovers, completion, Run's check). */
const PAUSE_MS = 800;
let checking: ReturnType<typeof typescript> | null = null;
const startChecking = () => (checking ??= preload().then(typescript).catch((e) => { checking = null; throw e; }));

type Diag = { start?: number; length?: number; category: number; code: number; messageText: string | Chain };
type Chain = { messageText: string; next?: Chain[] };
const flatten = (m: string | Chain, depth = 0): string =>
  typeof m === 'string' ? m : [m.messageText, ...(m.next ?? []).map((n) => flatten(n, depth + 1))].join(' ');

export async function createEditor(box: HTMLElement, o: EditorOptions): Promise<EditorHandle> {
  const monaco = await preload();
  box.replaceChildren();
  box.classList.add('monaco');
  const uri = monaco.Uri.parse(`file:///scenarios/${o.id}.ts`);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(o.code, 'typescript', uri);
  model.setValue(o.code);
  const ed = monaco.editor.create(box, {
    model, theme: themeNow(), automaticLayout: true, minimap: { enabled: false }, scrollBeyondLastLine: false,
    fontSize: 14, tabSize: 2, fixedOverflowWidgets: true, ariaLabel: 'Scenario code editor (TypeScript). Ctrl+M toggles whether Tab moves focus.',
    scrollbar: { alwaysConsumeMouseWheel: false },
  });
  const fit = () => { box.style.height = `${Math.min(640, Math.max(200, ed.getContentHeight()))}px`; };
  ed.onDidContentSizeChange(fit);
  fit();
  let pause: ReturnType<typeof setTimeout> | undefined;
  ed.onDidChangeModelContent(() => {
    o.onChange(model.getValue());
    clearTimeout(pause);
    pause = setTimeout(() => { startChecking().catch(() => undefined); }, PAUSE_MS);
  });
  ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => o.onRun());
  document.addEventListener('mergeable:theme', () => monaco.editor.setTheme(themeNow()));
  let decorations: string[] = [];
  return {
    focus: () => ed.focus(),
    setValue: (c) => model.setValue(c),
    markError(line, message, column) {
      const end = model.getLineMaxColumn(Math.min(line, model.getLineCount()));
      const from = column && column < end ? column : 1;
      monaco.editor.setModelMarkers(model, 'mergeable-run', [{ startLineNumber: line, endLineNumber: line, startColumn: from, endColumn: column ? Math.min(from + 1, end) : end, message, severity: monaco.MarkerSeverity.Error }]);
      decorations = ed.deltaDecorations(decorations, [{ range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'pg-errline', linesDecorationsClassName: 'pg-errgutter' } }]);
      ed.revealLineInCenterIfOutsideViewport(line);
    },
    clearError() {
      monaco.editor.setModelMarkers(model, 'mergeable-run', []);
      decorations = ed.deltaDecorations(decorations, []);
    },
    /** Syntax and type errors of the code now, from the TypeScript worker (started here if the reader never paused). */
    async check() {
      const get = await (await startChecking()).getTypeScriptWorker();
      const w = await get(model.uri);
      const u = model.uri.toString();
      const [syn, sem] = (await Promise.all([w.getSyntacticDiagnostics(u), w.getSemanticDiagnostics(u)])) as [Diag[], Diag[]];
      const at = (d: Diag) => model.getPositionAt(d.start ?? 0);
      // category 1: errors (warnings and suggestions do not stop a run).
      return [...syn.map((d) => ({ d, syntax: true })), ...sem.map((d) => ({ d, syntax: false }))]
        .filter(({ d }) => d.category === 1)
        .map(({ d, syntax }) => ({ line: at(d).lineNumber, column: at(d).column, message: flatten(d.messageText), syntax }));
    },
  };
}
