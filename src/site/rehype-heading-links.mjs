// rehype plugin: a visible "#" link after every h2-h4 (ids come from Astro's rehypeHeadingIds).
export function rehypeHeadingLinks() {
  const visit = (node) => {
    if (node.type === 'element' && /^h[2-4]$/.test(node.tagName) && node.properties?.id) {
      const text = toText(node);
      node.children.push({
        type: 'element', tagName: 'a',
        // Not indexed: Pagefind would end every section title with this '#'.
        properties: { href: `#${node.properties.id}`, className: ['heading-anchor'], ariaLabel: `Link to this section: ${text}`, dataPagefindIgnore: '' },
        children: [{ type: 'text', value: '#' }],
      });
      return;
    }
    for (const c of node.children ?? []) visit(c);
  };
  return (tree) => visit(tree);
}

function toText(n) {
  if (n.type === 'text') return n.value;
  return (n.children ?? []).map(toText).join('');
}
