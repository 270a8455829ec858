// rehype plugin for the glossary (terms in src/site/glossary-terms.mjs). On the glossary page, each
// entry (a paragraph opening with its bold label) gets the term's id. In every other chapter, the
// first use of each term in prose (a word, or a whole `code` span) links to that entry. Headings,
// links, code blocks and components (playgrounds, exercises) are left alone.
import { GLOSSARY_PATH, TERMS } from './glossary-terms.mjs';

const SKIP = new Set(['a', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'script', 'style', 'svg', 'strong']);
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const byCode = new Map(TERMS.flatMap((t) => (t.code ?? []).map((c) => [c, t])));
const byWord = new Map(TERMS.flatMap((t) => (t.words ?? []).map((w) => [w, t])));
// Longest first, so "VMA merging" is found before "VMA"; not inside a longer word or identifier.
const WORDS = new RegExp(`(?<![\\w.-])(${[...byWord.keys()].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\w-])`, 'g');

const text = (n) => (n.type === 'text' ? n.value : (n.children ?? []).map(text).join(''));
const link = (t, children) => ({
  type: 'element', tagName: 'a', properties: { href: `${GLOSSARY_PATH}#${t.id}`, className: ['gloss'] }, children,
});

/** Marks the glossary's entries with their ids. Returns the labels it found no entry for. */
export function markEntries(tree) {
  const labels = new Map(TERMS.map((t) => [t.label, t]));
  const found = new Set();
  for (const p of tree.children ?? []) {
    const first = p.type === 'element' && p.tagName === 'p' ? p.children?.[0] : null;
    const t = first?.type === 'element' && first.tagName === 'strong' ? labels.get(text(first)) : undefined;
    if (t) { p.properties = { ...p.properties, id: t.id }; found.add(t.label); }
  }
  return [...labels.keys()].filter((l) => !found.has(l));
}

/** Links the first use of each term in `tree`. */
export function linkFirstUses(tree) {
  const used = new Set();
  const visit = (node) => {
    const kids = node.children;
    if (!kids) return;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (c.type === 'element' && c.tagName === 'code') {
        const t = byCode.get(text(c));
        if (t && !used.has(t.id)) { used.add(t.id); kids[i] = link(t, [c]); }
        continue;
      }
      if (c.type === 'text') {
        WORDS.lastIndex = 0;
        let m;
        while ((m = WORDS.exec(c.value))) {
          const t = byWord.get(m[1]);
          if (used.has(t.id)) continue;
          used.add(t.id);
          const before = c.value.slice(0, m.index), after = c.value.slice(m.index + m[1].length);
          const parts = [before && { type: 'text', value: before }, link(t, [{ type: 'text', value: m[1] }]), { type: 'text', value: after }];
          kids.splice(i, 1, ...parts.filter(Boolean));
          i += before ? 1 : 0; // the next pass of the loop continues with the text after the link
          break;
        }
        continue;
      }
      if (c.type === 'element' && !SKIP.has(c.tagName)) visit(c);
      if (c.type === 'root') visit(c);
    }
  };
  visit(tree);
  return used;
}

export function rehypeGlossary() {
  return (tree, file) => {
    const path = String(file?.path ?? '').split('\\').join('/');
    if (!/\/content\/[^/]+\/index\.mdx$/.test(path)) return;
    if (path.endsWith('/content/glossary/index.mdx')) {
      const missing = markEntries(tree);
      if (missing.length) throw new Error(`glossary: no entry for ${missing.join(', ')} (src/site/glossary-terms.mjs)`);
      return;
    }
    linkFirstUses(tree);
  };
}
