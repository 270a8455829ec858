// SVGs of the analyser page: an overview of the whole address space by VMA index (a 60,000-VMA
// process is still one strip), and a zoomed window drawn from the site's diagram model
// (src/site/diagram.ts) with one equal-width box per VMA, since real VMA sizes span 1 page to GBs.
// Both use the playground's .pg-svg classes, so light/dark colours come from site.css.
import type { Analysis, Run } from '../../src/analyze/index';
import type { DiagramModel } from '../../src/site/diagram';
import { esc } from '../../src/site/html';

/** Default width; the page passes its own so that one SVG unit is one CSS pixel. */
const W0 = 720;
const f = (n: number) => +n.toFixed(2);

function fillClass(perms: string): string {
  if (perms.startsWith('rw')) return 'rw';
  if (perms[2] === 'x') return 'rx';
  if (perms[0] === 'r') return 'r';
  return 'none';
}

/** Bins over VMA index; bar height = share of the bin's VMAs that end at a suspect boundary. */
export function overviewSvg(a: Analysis, runs: Run[], W = W0): { svg: string; bins: number } {
  const n = a.vmas.length;
  const bins = Math.max(1, Math.min(n, Math.floor(W / 2)));
  const sus = new Float64Array(bins), exp = new Float64Array(bins), cnt = new Float64Array(bins);
  const binOf = (i: number) => Math.min(bins - 1, Math.floor((i * bins) / n));
  for (let i = 0; i < n; i++) cnt[binOf(i)]++;
  for (const p of a.pairs) (a.reasons[p.reason]!.suspect ? sus : exp)[binOf(p.left)]++;
  const H = 82, TOP = 6, BAR = 40, bw = W / bins;
  const parts: string[] = [];
  parts.push(`<svg class="pg-svg an-overview" viewBox="0 0 ${W} ${H}" data-n="${n}" data-w="${W}" role="img" aria-labelledby="an-ov-t" xmlns="http://www.w3.org/2000/svg">`);
  parts.push(`<title id="an-ov-t">Overview of all ${n} VMAs in address order: bar height is the share of unmerged touching pairs in each slice, red where visible attributes allow a merge${runs.length ? `; the ${runs.length} largest runs are numbered` : ''}.</title>`);
  parts.push(`<rect class="ov-bg" x="0" y="${TOP}" width="${W}" height="${BAR}"/>`);
  for (let b = 0; b < bins; b++) {
    if (!cnt[b]) continue;
    const e = Math.min(1, exp[b] / cnt[b]), s = Math.min(1, sus[b] / cnt[b]);
    if (e > 0) parts.push(`<rect class="ov-exp" x="${f(b * bw)}" y="${f(TOP + BAR * (1 - e))}" width="${f(Math.max(bw, 0.8))}" height="${f(BAR * e)}"/>`);
    if (s > 0) parts.push(`<rect class="ov-sus" x="${f(b * bw)}" y="${f(TOP + BAR * (1 - s))}" width="${f(Math.max(bw, 1.2))}" height="${f(BAR * s)}"/>`);
  }
  // Run numbers in address order, each only where it does not collide with the previous one.
  const placed: number[] = [];
  runs.map((r, i) => ({ r, i })).sort((x, y) => x.r.first - y.r.first).forEach(({ r, i }) => {
    const x0 = (r.first / n) * W, x1 = Math.max(x0 + 2, ((r.last + 1) / n) * W);
    const tx = Math.min(Math.max((x0 + x1) / 2, 6), W - 6);
    const room = placed.every((p) => Math.abs(p - tx) >= 14);
    if (room) placed.push(tx);
    parts.push(`<g class="ov-run"><line x1="${f(x0)}" y1="${TOP + BAR + 4}" x2="${f(x1)}" y2="${TOP + BAR + 4}"/>${room ? `<text x="${f(tx)}" y="${TOP + BAR + 16}" text-anchor="middle">${i + 1}</text>` : ''}</g>`);
  });
  parts.push(`<rect class="ov-view" x="0" y="${TOP - 3}" width="0" height="${BAR + 6}"/>`);
  parts.push(`<text class="addr" x="0" y="${H - 2}">${a.vmas[0] ? '0x' + a.vmas[0].start.toString(16) : ''}</text>`);
  parts.push(`<text class="addr" x="${W}" y="${H - 2}" text-anchor="end">${n ? '0x' + a.vmas[n - 1]!.end.toString(16) : ''}</text>`);
  parts.push('</svg>');
  return { svg: parts.join(''), bins };
}

export interface WindowSvgOptions { id: string; title: string; description: string }

/** One equal-width box per VMA; suspect boundaries (kind 'identical') red, visible differences dashed. */
export function windowSvg(m: DiagramModel, o: WindowSvgOptions, W = W0): string {
  const n = m.boxes.length;
  const H = 104, TOP = 22, BOX = 50, bw = W / Math.max(n, 1);
  const parts: string[] = [];
  parts.push(`<svg class="pg-svg an-window" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${o.id}-t ${o.id}-d" xmlns="http://www.w3.org/2000/svg">`);
  parts.push(`<title id="${o.id}-t">${esc(o.title)}</title><desc id="${o.id}-d">${esc(o.description)}</desc>`);
  const xOf = new Map<number, number>();
  m.boxes.forEach((b, i) => {
    const x = i * bw;
    xOf.set(b.end, x + bw);
    const touchesPrev = i > 0 && m.boxes[i - 1]!.end === b.start;
    const inset = touchesPrev ? 0 : Math.min(2, bw / 6);
    parts.push(`<g class="vma ${fillClass(b.perms)}${b.mergeable ? ' mg' : ''}"><rect x="${f(x + inset)}" y="${TOP}" width="${f(Math.max(bw - inset, 0.6))}" height="${BOX}" rx="${bw > 12 ? 3 : 0}"/>`);
    if (bw >= 16) parts.push(`<text class="lbl" x="${f(x + bw / 2)}" y="${TOP + 22}" text-anchor="middle" style="font-size:${bw >= 26 ? 15 : 11}px">${esc(b.label)}</text>`);
    if (bw >= 60) parts.push(`<text class="sub" x="${f(x + bw / 2)}" y="${TOP + 40}" text-anchor="middle">${esc(b.perms)} ${b.pages}p</text>`);
    parts.push('</g>');
  });
  for (const bd of m.boundaries) {
    const x = xOf.get(bd.at);
    if (x === undefined) continue;
    parts.push(`<g class="bd ${bd.kind}"><line x1="${f(x)}" y1="${TOP - 6}" x2="${f(x)}" y2="${TOP + BOX + 6}"/>`);
    if (bd.kind === 'identical' && bw >= 9) parts.push(`<text x="${f(x)}" y="${TOP - 9}" text-anchor="middle">!</text>`);
    parts.push('</g>');
  }
  parts.push(`<text class="addr" x="0" y="${H - 6}">0x${m.window.start.toString(16)}</text>`);
  parts.push(`<text class="addr" x="${W}" y="${H - 6}" text-anchor="end">0x${m.window.end.toString(16)}</text>`);
  if (W >= 560) parts.push(`<text class="addr" x="${W / 2}" y="${H - 6}" text-anchor="middle">${n} VMAs, not to scale</text>`);
  parts.push('</svg>');
  return parts.join('');
}
