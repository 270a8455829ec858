// Markup as data: the renderers build a tree of h() nodes, which becomes a string at build time
// (toHtml, for the static pages) and real DOM nodes in the page (toDom). In the page nothing that
// came from a run is ever parsed as HTML: text becomes text nodes, values become attributes.

import { esc } from './html';

export type Attrs = Record<string, string | number | boolean | null | undefined>;
export interface El { tag: string; attrs: Attrs; children: Child[] }
export type Child = El | string | number | null | undefined | false | Child[];

/** An element. Attributes that are null, undefined or false are left out; true is a bare attribute. */
export function h(tag: string, attrs: Attrs | null = null, ...children: Child[]): El {
  return { tag, attrs: attrs ?? {}, children };
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Elements the renderers use; anything else is a bug in a renderer and is refused. */
const TAGS = new Set(('a b button circle code details dd desc div dl dt em figcaption figure g h4 h5 kbd li line mark ol p path ' +
  'pre rect small span strong summary svg table tbody td text th thead title tr ul').split(' '));
const VOID = new Set(['br', 'hr', 'img', 'input']);
const ATTR = /^(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*|viewBox|xmlns)$/;
const SAFE_URL = /^(?:https:\/\/|#|\/(?!\/))/;

function checkAttr(tag: string, name: string, value: string): void {
  if (!ATTR.test(name) || name.startsWith('on') || name === 'style' || name === 'srcdoc') throw new Error(`dom: attribute ${name} is not allowed`);
  if ((name === 'href' || name === 'src') && !SAFE_URL.test(value)) throw new Error(`dom: ${tag} ${name} must be https:, #… or /…`);
}
function checkTag(tag: string): void {
  if (!TAGS.has(tag)) throw new Error(`dom: element <${tag}> is not allowed`);
}


function attrEntries(e: El): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(e.attrs)) {
    if (v === null || v === undefined || v === false) continue;
    const s = v === true ? '' : String(v);
    checkAttr(e.tag, k, s);
    out.push([k, s]);
  }
  return out;
}

/** The markup of a tree, every text and attribute value escaped (the static pages). */
export function toHtml(c: Child): string {
  if (c === null || c === undefined || c === false) return '';
  if (typeof c === 'string') return esc(c);
  if (typeof c === 'number') return String(c);
  if (Array.isArray(c)) return c.map(toHtml).join('');
  checkTag(c.tag);
  const attrs = attrEntries(c).map(([k, v]) => (v === '' && c.attrs[k] === true ? ` ${k}` : ` ${k}="${esc(v)}"`)).join('');
  if (VOID.has(c.tag)) return `<${c.tag}${attrs}>`;
  const inner = c.children.map(toHtml).join('');
  // SVG shapes without content close themselves, as in hand-written SVG.
  return inner === '' && /^(?:rect|circle|line|path)$/.test(c.tag) ? `<${c.tag}${attrs}/>` : `<${c.tag}${attrs}>${inner}</${c.tag}>`;
}

/** DOM nodes for a tree (the page): text nodes and setAttribute(), never an HTML parser. */
export function toDom(c: Child, doc: Document = document, ns: string | null = null): Node {
  if (c === null || c === undefined || c === false) return doc.createDocumentFragment();
  if (typeof c === 'string' || typeof c === 'number') return doc.createTextNode(String(c));
  if (Array.isArray(c)) {
    const f = doc.createDocumentFragment();
    for (const x of c) f.append(toDom(x, doc, ns));
    return f;
  }
  checkTag(c.tag);
  const inSvg = ns === SVG_NS || c.tag === 'svg';
  const el = inSvg ? doc.createElementNS(SVG_NS, c.tag) : doc.createElement(c.tag);
  for (const [k, v] of attrEntries(c)) if (k !== 'xmlns') el.setAttribute(k, v);
  for (const x of c.children) el.append(toDom(x, doc, inSvg ? SVG_NS : null));
  return el;
}

/** Replace an element's content with a tree. */
export function render(target: Element, c: Child): void {
  target.replaceChildren(toDom(c, target.ownerDocument));
}
