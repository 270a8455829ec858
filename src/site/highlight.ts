// Shiki at build time: one highlighter, the same light/dark themes as Monaco uses in the page.
import { createHighlighter, type Highlighter } from 'shiki';
import { tokenClasses } from './shiki-classes.mjs';

export const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;
let hl: Promise<Highlighter> | null = null;

export async function highlightTs(code: string): Promise<string> {
  hl ??= createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: ['typescript'] });
  const lines = code.split('\n');
  return (await hl).codeToHtml(code, {
    lang: 'typescript', themes: THEMES, defaultColor: false,
    // Import lines are the same in every scenario: kept out of the search index (Pagefind).
    transformers: [tokenClasses, { line(node, n) { if (/^\s*import\b/.test(lines[n - 1] ?? '')) node.properties['data-pagefind-ignore'] = ''; } }],
  });
}
