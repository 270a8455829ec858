// A chapter's MDX as a syntax tree (remark-parse + remark-mdx + remark-gfm, the parsers Astro's
// MDX integration uses), so the tests find <Playground>s and prose by structure, not by regex.
// Node-only test support: the site build renders MDX through Astro itself.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkMdx from 'remark-mdx';
import remarkGfm from 'remark-gfm';
import type { Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkGfm);

/** The tree of a chapter. Its YAML front matter (which Astro reads, not MDX) is blanked first,
 *  keeping line numbers. */
export function parseMdx(text: string): Root {
  const fm = /^---\n[\s\S]*?\n---\n/.exec(text);
  const body = fm ? fm[0].replace(/[^\n]/g, '') + text.slice(fm[0].length) : text;
  return parser.parse(body) as Root;
}

/** A JSX attribute's string value, or null when absent; an expression value is an error. */
export function jsxAttr(node: MdxJsxFlowElement, name: string, where: string): string | null {
  const a = node.attributes.find((x) => x.type === 'mdxJsxAttribute' && x.name === name);
  if (!a) return null;
  if (typeof a.value === 'string') return a.value;
  throw new Error(`${where}: <${node.name}> ${name}= must be a plain string, not an expression`);
}

/** Every node of the tree in document order, with the nearest heading above it. */
export function* walk(root: Root): Generator<{ node: RootContent; heading: string }> {
  let heading = '';
  function* go(nodes: RootContent[]): Generator<{ node: RootContent; heading: string }> {
    for (const node of nodes) {
      if (node.type === 'heading') heading = node.children.map(textOf).join('');
      yield { node, heading };
      if ('children' in node && node.type !== 'heading') yield* go(node.children as RootContent[]);
    }
  }
  yield* go(root.children);
}

/** Plain text of a node: text and inline code values, as a reader reads the sentence. */
export function textOf(node: RootContent): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  if (node.type === 'break') return ' ';
  if ('children' in node) return (node.children as RootContent[]).map(textOf).join('');
  return '';
}
