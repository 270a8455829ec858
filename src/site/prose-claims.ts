// Numbers a chapter's prose states about scenario outcomes ("6.16: three VMAs", "map_count 65",
// "pages_sharing 7"), found in the MDX syntax tree, and whether a checked expectation backs each.
// A sentence that states such a number on purpose without a scenario behind it (a general fact, a
// real-kernel figure) carries an MDX comment {/* prose-only: why */} in its paragraph, list item or
// table cell, or on its own line just before the block.
import type { Root, RootContent } from 'mdast';
import { parseMdx, textOf } from './mdx-tree';
import type { Expectation } from './expect';

export interface ProseClaim {
  /** "vmas" for "N VMAs", else the counter's name. */
  what: string;
  n: number;
  /** The words that state it, as the reader reads them. */
  text: string;
  line: number;
  heading: string;
  /** The block names a kernel version ("6.16"), so it is about a version's outcome. */
  mentionsVersion: boolean;
  proseOnly: boolean;
}

/** Counters a chapter quotes values of: KSM's sysfs and ksm_stat files and the mm's map_count. */
export const COUNTERS = [
  'map_count', 'pages_shared', 'pages_sharing', 'pages_unshared', 'pages_volatile', 'full_scans',
  'general_profit', 'ksm_zero_pages', 'pages_scanned', 'pages_skipped', 'ksm_merging_pages',
  'ksm_rmap_items', 'ksm_process_profit', 'rmap_items',
] as const;

const WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};
const NUM = `\\d+|${Object.keys(WORDS).join('|')}`;
// "three VMAs", "two adjacent VMAs", "65 VMAs": a count, at most two describing words, then VMA(s)
// ("bit 63 of a VMA" and "four kinds of VMA" are not counts).
const GLUE = '(?!(?:of|a|an|the|per|each|in|on|for|to|and|or|with|by|more|other)\\b)';
const VMAS_RE = new RegExp(`(?<![\\d.])\\b(${NUM})\\s+(?:${GLUE}[a-z-]+\\s+){0,2}?VMAs?\\b`, 'gi');
const COUNTER_RE = new RegExp(`\\b(${COUNTERS.join('|')})\\b[\\s:=]*(-?\\d+)\\b`, 'g');
const MARKER = /prose-only/;

const toNumber = (s: string) => WORDS[s.toLowerCase()] ?? Number(s);

function claimsIn(text: string): { what: string; n: number; text: string }[] {
  const out: { what: string; n: number; text: string }[] = [];
  for (const m of text.matchAll(VMAS_RE)) out.push({ what: 'vmas', n: toNumber(m[1]), text: m[0] });
  for (const m of text.matchAll(COUNTER_RE)) out.push({ what: m[1], n: Number(m[2]), text: m[0] });
  return out;
}

const isMarker = (n: RootContent) =>
  (n.type === 'mdxFlowExpression' || n.type === 'mdxTextExpression') && MARKER.test(n.value);
const hasMarker = (n: RootContent): boolean =>
  isMarker(n) || ('children' in n && (n.children as RootContent[]).some(hasMarker));

/** Every number about an outcome stated in the chapter's prose (paragraphs and table cells). */
export function proseClaims(mdx: string | Root): ProseClaim[] {
  const root = typeof mdx === 'string' ? parseMdx(mdx) : mdx;
  const out: ProseClaim[] = [];
  let heading = '';
  const visit = (nodes: RootContent[], exempt: boolean) => {
    let markNext = false;
    for (const node of nodes) {
      if (node.type === 'mdxFlowExpression' && isMarker(node)) { markNext = true; continue; }
      const ex = exempt || markNext || hasMarker(node);
      markNext = false;
      if (node.type === 'heading') { heading = textOf(node); continue; }
      if (node.type === 'code' || node.type === 'mdxJsxFlowElement' || node.type === 'mdxjsEsm') continue;
      if (node.type === 'paragraph' || node.type === 'tableCell') {
        const text = textOf(node);
        const mentionsVersion = /\b[3-7]\.\d{1,2}\b/.test(text);
        for (const c of claimsIn(text)) {
          out.push({ ...c, line: node.position?.start.line ?? 0, heading, mentionsVersion, proseOnly: ex });
        }
        continue;
      }
      if ('children' in node) visit(node.children as RootContent[], ex);
    }
  };
  visit(root.children, false);
  return out;
}

/** Does one of these expectations check the number the prose states? */
export function covers(c: ProseClaim, exps: Expectation[]): boolean {
  const num = new RegExp(`(^|[^\\d.])${c.n}(?![\\d.])`);
  return exps.some((e) => e.claims.some((k) => {
    // map_count is the number of VMAs, so a checked map_count backs "N VMAs" too.
    if (k.kind === 'log') return num.test(k.text) && (c.what === 'vmas' ? /VMA|map_count/.test(k.text) : k.text.includes(c.what));
    if (c.what === 'vmas') return (k.kind === 'vmas' || k.kind === 'mg-count' || k.kind === 'map_count') && k.n === c.n;
    if (c.what === 'map_count') return k.kind === 'map_count' && k.n === c.n;
    return false;
  }));
}

/** A chapter's playgrounds, each with its section heading and its expectations. */
export interface SectionPlayground { heading: string; expectations: Expectation[] }

/** Prose claims about a scenario that no expectation backs. A claim is about a scenario when its
 *  section has a playground or its block names a kernel version; prose-only claims are skipped. */
export function uncoveredClaims(claims: ProseClaim[], playgrounds: SectionPlayground[]): ProseClaim[] {
  return claims.filter((c) => {
    if (c.proseOnly) return false;
    const here = playgrounds.filter((p) => p.heading === c.heading);
    if (!here.length && !c.mentionsVersion) return false;
    return !covers(c, here.flatMap((p) => p.expectations));
  });
}
