/// <reference types="vite/client" />
// Monaco, loaded only when the reader asks to edit: completion and type errors from the engine's
// own declarations (/engine-types.json), highlighting by Shiki with the static blocks' themes.
import type { EditorHandle, EditorOptions } from './editor-types';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker.js?worker';

type Monaco = typeof import('./monaco-entry');
const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker: (_: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
};

let ready: Promise<Monaco> | null = null;

async function setup(): Promise<Monaco> {
  const [monaco, { createHighlighterCore }, { createJavaScriptRegexEngine }, { shikiToMonaco }, types] = await Promise.all([
    import('./monaco-entry'),
    import('shiki/core'),
    import('shiki/engine/javascript'),
    import('@shikijs/monaco'),
    fetch('/engine-types.json').then((r) => {
      if (!r.ok) throw new Error(`engine type declarations not found (${r.status})`);
      return r.json() as Promise<{ files: Record<string, string> }>;
    }),
  ]);
  const highlighter = await createHighlighterCore({
    themes: [import('shiki/themes/github-light-default.mjs'), import('shiki/themes/github-dark-default.mjs')],
    langs: [import('shiki/langs/typescript.mjs')],
    engine: createJavaScriptRegexEngine(),
  });
  shikiToMonaco(highlighter, monaco as never);
  const ts = monaco.typescript;
  ts.typescriptDefaults.setCompilerOptions({
    target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.NodeJs,
    strict: true, noEmit: true, allowNonTsExtensions: true, lib: ['es2022', 'dom'],
  });
  ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
  for (const [path, text] of Object.entries(types.files)) {
    ts.typescriptDefaults.addExtraLib(text, `file:///node_modules/@types/mergeable/${path}`);
  }
  // Start the TypeScript worker now (it is the slowest part), so that it is warm when the
  // editor appears. getTypeScriptWorker() can fail with "TypeScript not registered!" at first.
  const warm = monaco.editor.createModel('import { boot } from "mergeable";\nboot();\n', 'typescript', monaco.Uri.parse('file:///warmup.ts'));
  void (async () => {
    for (let i = 0; i < 20; i++) {
      try { const get = await ts.getTypeScriptWorker(); const w = await get(warm.uri); await w.getSemanticDiagnostics(warm.uri.toString()); return; }
      catch { await new Promise((r) => setTimeout(r, 100)); }
    }
  })();
  return monaco;
}

export function preload(): Promise<Monaco> {
  return (ready ??= setup());
}

const themeNow = () => {
  const t = document.documentElement.dataset.theme;
  const dark = t ? t === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  return dark ? THEMES.dark : THEMES.light;
};

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
  ed.onDidChangeModelContent(() => o.onChange(model.getValue()));
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
  };
}
