// SVG of a diagram model. Text alternative: the kernel-test ASCII picture plus the legend.
import type { DiagramModel } from './diagram';
import { h, toHtml, type El } from './dom';

const W = 480, H = 112, TOP = 26, BOX_H = 54;
/** Least distance between the centres of two boundary labels, in SVG units. */
export const LABEL_GAP = 84;
const hex = (n: number) => '0x' + n.toString(16);

function fillClass(perms: string): string {
  if (perms.startsWith('rw')) return 'rw';
  if (perms[2] === 'x') return 'rx';
  if (perms[0] === 'r') return 'r';
  return 'none';
}

export interface SvgOptions { id: string; title: string; description: string }

export function diagramNode(m: DiagramModel, o: SvgOptions): El {
  const px = (f: number) => +(f * W).toFixed(2);
  const gaps = m.gaps.map((g) => h('rect', { class: 'gap', x: px(g.x), y: TOP, width: px(g.w), height: BOX_H }));
  const boxes = m.boxes.map((b) => {
    const x = px(b.x), w = Math.max(px(b.w), 1);
    return h('g', { class: `vma ${fillClass(b.perms)}${b.mergeable ? ' mg' : ''}` },
      h('rect', { x, y: TOP, width: w, height: BOX_H, rx: 3 }),
      w > 26 && h('text', { class: 'lbl', x: x + w / 2, y: TOP + 22, 'text-anchor': 'middle' }, b.label),
      w > 64 && h('text', { class: 'sub', x: x + w / 2, y: TOP + 40, 'text-anchor': 'middle' }, `${b.perms} ${b.pages}p${b.mergeable ? ' mg' : ''}`),
      b.clippedLeft && h('text', { class: 'clip', x: x + 3, y: TOP + 52 }, '…'),
      b.clippedRight && h('text', { class: 'clip', x: x + w - 10, y: TOP + 52 }, '…'));
  });
  let lastLabel = -Infinity;
  const boundaries = m.boundaries.map((bd) => {
    const x = px(bd.x);
    // Where the label's centre goes (kept inside the picture); a label is ~72 units wide ("not
    // merged", 12px bold), so closer boundaries get the line only (the legend has the text).
    const tx = Math.min(Math.max(x, 40), W - 40);
    const label = tx - lastLabel >= LABEL_GAP;
    if (label) lastLabel = tx;
    return h('g', { class: bd.kind === 'identical' ? 'bd identical' : 'bd differ' },
      h('line', { x1: x, y1: TOP - 8, x2: x, y2: TOP + BOX_H + 8 }),
      label && h('text', { x: tx, y: TOP - 11, 'text-anchor': 'middle' }, bd.kind === 'identical' ? 'not merged' : shortReason(bd.reasons)));
  });
  return h('svg', { class: 'pg-svg', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${o.id}-t ${o.id}-d`, xmlns: 'http://www.w3.org/2000/svg' },
    h('title', { id: `${o.id}-t` }, o.title), h('desc', { id: `${o.id}-d` }, o.description),
    gaps, boxes, boundaries,
    h('text', { class: 'addr', x: 0, y: H - 6 }, hex(m.window.start)),
    h('text', { class: 'addr', x: W, y: H - 6, 'text-anchor': 'end' }, hex(m.window.end)),
    h('text', { class: 'addr', x: W / 2, y: H - 6, 'text-anchor': 'middle' }, `${m.pages} pages`));
}

/** The diagram as markup (the static pages). */
export const diagramSvg = (m: DiagramModel, o: SvgOptions): string => toHtml(diagramNode(m, o));

function shortReason(reasons: string[]): string {
  const r = reasons[0] ?? '';
  const m = /^(\S+(?: \S+)*) only on the (left|right) VMA$/.exec(r);
  if (m) return `${m[1].split(' ')[0]} differs`;
  return r.length > 22 ? r.slice(0, 21) + '…' : r;
}
