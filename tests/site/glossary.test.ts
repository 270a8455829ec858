// The glossary plugin: entries get their ids on the glossary page; a chapter links the first use
// of each term (a word in prose, or a whole code span), and leaves headings, links and code blocks alone.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { linkFirstUses, markEntries } from '../../src/site/rehype-glossary.mjs';
import { TERMS } from '../../src/site/glossary-terms.mjs';

type Node = { type: string; tagName?: string; value?: string; properties?: Record<string, unknown>; children?: Node[] };
const t = (value: string): Node => ({ type: 'text', value });
const el = (tagName: string, ...children: Node[]): Node => ({ type: 'element', tagName, properties: {}, children });
const links = (n: Node): string[] => (n.tagName === 'a' && (n.properties?.className as string[] | undefined)?.includes('gloss')
  ? [`${n.properties!.href}=${flat(n)}`] : (n.children ?? []).flatMap(links));
const flat = (n: Node): string => n.value ?? (n.children ?? []).map(flat).join('');

describe('first uses link to the glossary', () => {
  it('links the first use of a word and of a code span, once each', () => {
    const tree = el('root' as never, el('p', t('A VMA is one range; two VMAs merge. Each '), el('code', t('anon_vma')), t(' and '), el('code', t('anon_vma'))));
    tree.type = 'root';
    linkFirstUses(tree);
    expect(links(tree)).toEqual(['/glossary/#vma=VMA', '/glossary/#anon_vma=anon_vma']);
    expect(flat(tree)).toBe('A VMA is one range; two VMAs merge. Each anon_vma and anon_vma');
  });

  it('prefers the longer term, and does not match inside identifiers', () => {
    const tree: Node = { type: 'root', children: [el('p', t('About VMA merging, KSM_FOO and KSM pages.'))] };
    linkFirstUses(tree);
    expect(links(tree)).toEqual(['/glossary/#vma-merging=VMA merging', '/glossary/#ksm-page=KSM pages']);
  });

  it('leaves headings, links, code blocks and partial code spans alone', () => {
    const tree: Node = { type: 'root', children: [el('h2', t('KSM')), el('p', el('a', t('KSM'))), el('pre', el('code', t('VM_MERGEABLE'))),
      el('p', el('code', t('VM_MERGEABLE | VM_IO')))] };
    linkFirstUses(tree);
    expect(links(tree)).toEqual([]);
  });
});

describe('the glossary page', () => {
  it('has an entry for every term, and each gets its id', () => {
    const src = readFileSync('content/glossary/index.mdx', 'utf8');
    const entries = [...src.matchAll(/^\*\*(.+?)\*\*/gm)].map((m) => m[1]);
    expect(entries).toEqual(TERMS.map((x) => x.label));
    const tree: Node = { type: 'root', children: entries.map((e) => el('p', el('strong', t(e)), t('. Text.'))) };
    expect(markEntries(tree)).toEqual([]);
    expect(tree.children!.map((p) => p.properties!.id)).toEqual(TERMS.map((x) => x.id));
  });
});
