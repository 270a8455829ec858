// What the page shows of an Analysis, built in the Worker so that only small, bounded data
// crosses to the page: a 60,000-VMA analysis stays in the Worker; pages of pairs and zoomed
// windows are asked for on demand.
import { groupPairs, KIND_LABEL, suspectWindows, vmaViews, type Analysis, type PairGroup, type Reason, type SmapsVma } from '../../src/analyze/index';
import { diagramModel } from '../../src/site/diagram';
import { overviewSvg, windowSvg } from './svg';

export interface VmaLine { start: bigint; end: bigint; perms: string; offset: number; dev: string; inode: number; name: string; vmflags: string; anon: boolean }
export interface ReasonView extends Reason { label: string }
export interface GroupView { index: number; boundaries: number; left: VmaLine; right: VmaLine; last: VmaLine; at: bigint; reason: number }
export interface RunView { first: number; last: number; start: bigint; end: bigint; vmas: number; label: string; regression: boolean; name: string; perms: string; vmflags: string }
export interface WindowView { first: number; last: number; total: number; title: string; svg: string; legend: string[] }
export interface Summary {
  source: string; kernel: Analysis['kernel']; summary: Analysis['summary']; ksmStat: Analysis['ksmStat'];
  reduced: boolean; gate: string[]; byKind: { kind: string; label: string; count: number; suspect: boolean }[];
  reasons: ReasonView[]; runs: RunView[]; unknowable: string[]; groupsTotal: number; regressionChapter: string;
  overview: string; bins: number;
  warnings: Analysis['warnings']; warningCount: number;
}

const line = (v: SmapsVma): VmaLine => ({ start: v.start, end: v.end, perms: v.perms, offset: v.offset, dev: v.dev, inode: v.inode, name: v.name, vmflags: v.vmflags, anon: v.inode === 0 && v.dev === '00:00' });
const isRegression = (k: string) => k === 'ksm-regression' || k === 'ksm-late-file';

/** The analysis kept in the Worker, with its pair groups (computed once). */
export class Session {
  readonly groups: PairGroup[];
  constructor(readonly a: Analysis) { this.groups = groupPairs(a); }

  summary(width?: number): Summary {
    const a = this.a;
    const suspectKinds = new Set(a.reasons.filter((r) => r.suspect).map((r) => r.kind));
    const byKind = Object.entries(a.summary.byKind).map(([kind, count]) => ({ kind, label: KIND_LABEL[kind as Reason['kind']], count: count ?? 0, suspect: suspectKinds.has(kind as Reason['kind']) }))
      .sort((x, y) => y.count - x.count);
    const unknowable = [...new Set(a.reasons.filter((r) => r.suspect && r.unknowable).map((r) => r.unknowable))];
    const { svg, bins } = overviewSvg(a, [...a.runs.slice(0, 9)], width);
    return {
      source: a.source, kernel: a.kernel, summary: a.summary, ksmStat: a.ksmStat, reduced: a.reduced,
      gate: a.gate.map((g) => g.name || `${g.start.toString(16)}-${g.end.toString(16)}`), byKind,
      reasons: a.reasons.map((r) => ({ ...r, label: KIND_LABEL[r.kind] })),
      runs: a.runs.map((r) => ({ first: r.first, last: r.last, start: r.start, end: r.end, vmas: r.vmas, label: KIND_LABEL[r.kind], regression: isRegression(r.kind), name: r.name, perms: r.perms, vmflags: r.vmflags })),
      unknowable, groupsTotal: this.groups.length, regressionChapter: a.regressionChapter, overview: svg, bins,
      warnings: a.warnings, warningCount: a.warningCount,
    };
  }

  /** Pair groups [from, from + count), optionally only those whose reason is a suspect. */
  pairs(from: number, count: number, suspectsOnly = false): { groups: GroupView[]; total: number } {
    const src = suspectsOnly ? this.groups.filter((g) => g.reason.suspect) : this.groups;
    const a = this.a;
    const groups = src.slice(from, from + count).map((g) => {
      const p0 = g.pairs[0]!;
      const pn = g.pairs[g.pairs.length - 1]!;
      return { index: p0.left, boundaries: g.pairs.length, left: line(a.vmas[p0.left]!), right: line(a.vmas[p0.left + 1]!), last: line(a.vmas[pn.left + 1]!), at: a.vmas[p0.left]!.end, reason: p0.reason };
    });
    return { groups, total: src.length };
  }

  /** The first window: the largest run, else the first touching pairs, else the start. */
  firstWindow(size: number, width?: number): WindowView | null {
    if (!this.a.vmas.length) return null;
    const w = suspectWindows(this.a, size, 1)[0];
    return this.window(w ? w.first : 0, size, width);
  }

  /** `size` VMAs starting at `first` (clamped), drawn with the site's diagram model. */
  window(first: number, size: number, width?: number): WindowView {
    const a = this.a;
    const n = a.vmas.length;
    first = Math.max(0, Math.min(first, n - size));
    const last = Math.min(n - 1, first + size - 1);
    const views = vmaViews(a, first, last);
    // The diagram speaks the engine's number addresses (vmaViews() converts them).
    const model = diagramModel(views, { start: views[0]!.start, end: views[views.length - 1]!.end });
    const reasonAt = new Map<number, number>();
    for (let i = first; i < last; i++) if (a.vmas[i]!.end === a.vmas[i + 1]!.start) reasonAt.set(Number(a.vmas[i]!.end), this.reasonOf(i));
    // The analyser's reasons replace diagram.ts's separation(): same boundaries, kernel-checked labels.
    for (const b of model.boundaries) {
      const r = a.reasons[reasonAt.get(b.at)!]!;
      b.kind = r.suspect ? 'identical' : 'differ';
      b.reasons = [KIND_LABEL[r.kind]];
    }
    const hex = (x: number | bigint) => x.toString(16);
    const title = `VMAs ${first + 1}-${last + 1} of ${n}, ${hex(a.vmas[first]!.start)}-${hex(a.vmas[last]!.end)} (one box per VMA, not to scale)`;
    const legend = model.boxes.map((b) => `${b.label}: ${hex(b.start)}-${hex(b.end)} ${b.perms} ${b.pages} page${b.pages === 1 ? '' : 's'}${b.name ? ' ' + b.name : ''} [${b.vmflags}]`);
    for (const b of model.boundaries) legend.push(`${b.left}|${b.right} at ${hex(b.at)}: ${b.reasons[0]}${b.kind === 'identical' ? ' (visible attributes allow the merge)' : ''}`);
    return { first, last, total: n, title, svg: windowSvg(model, { id: `aw-${first}-${size}`, title, description: legend.join('; ').slice(0, 4000) }, width), legend };
  }

  private pairIndex: Map<number, number> | null = null;
  private reasonOf(left: number): number {
    this.pairIndex ??= new Map(this.a.pairs.map((p) => [p.left, p.reason]));
    return this.pairIndex.get(left)!;
  }
}
