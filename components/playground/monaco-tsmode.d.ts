// Monaco ships no declarations for tsMode.js; monaco-entry.ts calls its setupTypeScript() itself.
declare module 'monaco-editor/languages/features/typescript/tsMode.js' {
  export function setupTypeScript(defaults: import('monaco-editor/languages/features/typescript/register.js').LanguageServiceDefaults): void;
}
