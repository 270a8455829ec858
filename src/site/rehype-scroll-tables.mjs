// rehype plugin: a chapter's tables scroll sideways on narrow screens (site.css .scroll-table), so
// each gets tabindex="0" and keyboard users can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable).
export function rehypeScrollTables() {
  const visit = (node) => {
    if (node.type === 'element' && node.tagName === 'table') {
      const cls = node.properties?.className ?? [];
      node.properties = { ...node.properties, tabIndex: 0, className: [...cls, 'scroll-table'] };
      return;
    }
    for (const c of node.children ?? []) visit(c);
  };
  return (tree) => visit(tree);
}
