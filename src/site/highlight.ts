// Shiki at build time: one highlighter, the same light/dark themes as Monaco uses in the page.
import { createHighlighter, type Highlighter } from 'shiki';

export const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;
let hl: Promise<Highlighter> | null = null;

export async function highlightTs(code: string): Promise<string> {
  hl ??= createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: ['typescript'] });
  return (await hl).codeToHtml(code, { lang: 'typescript', themes: THEMES, defaultColor: false });
}
