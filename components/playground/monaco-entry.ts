// Monaco with the editor contributions and TypeScript only (no other languages, no LSP client).
// The TypeScript language service (completion, hovers, type errors, a 1.5 MB worker) starts only
// when startTypeScript() is called (editor-monaco.ts: when the reader pauses typing, or on Run).
// Generated from monaco-editor 0.57.0 esm/vs/editor/editor.main.js minus languages/definitions, css/html/json, lsp,
// and minus what a scenario editor never uses (diff editor, colour picker, inlay hints, inline completions, code lens,
// sticky scroll, links, drag and drop, semantic tokens, GPU, font zoom, high contrast toggle, iPad keyboard), and
// minus what a one-file scenario needs least, ~32 KB gzip (folding, rename, format, smart select, code actions,
// go to definition / references / symbol, the command palette; Ctrl+G go to line stays, for "line 14"), and the
// caret, transpose, word-part and long-line helpers (little used in a scenario, ~1.5 KB gzip).
import 'monaco-editor/base/browser/ui/codicons/codicon/codicon.css';
import 'monaco-editor/base/browser/ui/codicons/codicon/codicon-modifiers.css';
import 'monaco-editor/features/find/register.js';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/editor/browser/widget/codeEditor/codeEditorWidget.js';
import 'monaco-editor/editor/contrib/comment/browser/comment.js';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo.js';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/editor/standalone/browser/quickAccess/standaloneGotoLineQuickAccess.js';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/editor/contrib/indentation/browser/indentation.js';
import 'monaco-editor/editor/contrib/insertFinalNewLine/browser/insertFinalNewLine.js';
import 'monaco-editor/editor/contrib/lineSelection/browser/lineSelection.js';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations.js';
import 'monaco-editor/editor/contrib/multicursor/browser/multicursor.js';
import 'monaco-editor/editor/contrib/parameterHints/browser/parameterHints.js';
import 'monaco-editor/editor/contrib/placeholderText/browser/placeholderText.contribution.js';
import 'monaco-editor/editor/contrib/readOnlyMessage/browser/contribution.js';
import 'monaco-editor/editor/contrib/snippet/browser/snippetController2.js';
import 'monaco-editor/editor/contrib/toggleTabFocusMode/browser/toggleTabFocusMode.js';
import 'monaco-editor/editor/contrib/tokenization/browser/tokenization.js';
import 'monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter.js';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/editor/browser/coreCommands.js';
import 'monaco-editor/editor/contrib/find/browser/findController.js';
import 'monaco-editor/editor/contrib/gotoError/browser/markerSelectionStatus.js';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/editor/common/standaloneStrings.js';
import 'monaco-editor/languages/definitions/typescript/register.js';

type TypeScript = typeof import('monaco-editor/languages/features/typescript/register.js');
let ts: Promise<TypeScript> | null = null;

/**
 * Registers the TypeScript language features for models that already exist. Importing register.js
 * up front would have done it on the first TypeScript model (languages.onLanguage), starting the
 * worker for word highlights as soon as the cursor landed; imported now, its onLanguage never fires
 * (Monaco asks for a language's rich features once), so setupTypeScript() runs here, once.
 */
export function startTypeScript(configure: (t: TypeScript) => void): Promise<TypeScript> {
  return (ts ??= Promise.all([
    import('monaco-editor/languages/features/typescript/register.js'),
    import('monaco-editor/languages/features/typescript/tsMode.js'),
  ]).then(([t, mode]) => {
    configure(t);
    mode.setupTypeScript(t.typescriptDefaults);
    return t;
  }));
}
export * from 'monaco-editor/editor/editor.api.js';
