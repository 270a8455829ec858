// Unit tests of the site's plain modules (no rendering): diff, share codec, expectations syntax,
// chapter navigation, diagram model and SVG.
import { describe, expect, it } from 'vitest';
import type { VmaView } from 'mergeable';
import { diffLines, DIFF_CELLS } from '../../src/site/diff';
import { encodeShare, decodeShare } from '../../src/site/share';
import { parseExpectations } from '../../src/site/expect';
import { chapterLinks, chapterSlug, neighbours } from '../../src/site/chapters';
import { diagramModel, legend, separation } from '../../src/site/diagram';
import { diagramSvg, LABEL_GAP } from '../../src/site/svg';
import { scenarioFunction, scenarioLine } from '../../src/site/scenario-eval';

const P = 4096;
const vma = (start: number, end: number, extra: Partial<VmaView> = {}): VmaView => ({
  start: start * P, end: end * P, flags: '0x80100073', vmflags: 'rd wr mr mw me ac sd mg', perms: 'rw-p',
  pgoff: start, name: '', file: null, anonVma: null, forkChild: false, ...extra,
});

describe('diffLines', () => {
  it.each([
    ['a\nb\nc', 'a\nc', ['same a', 'del b', 'same c']],
    ['a\nc', 'a\nb\nc', ['same a', 'add b', 'same c']],
    ['x', 'y', ['del x', 'add y']],
    ['', 'y', ['add y']],
  ])('%j vs %j', (a, b, want) => {
    expect(diffLines(a, b).map((l) => `${l.op} ${l.text}`)).toEqual(want);
  });

  it('keeps a long common prefix and suffix whole, and diffs only the middle (65,536 lines each side)', () => {
    const lines = Array.from({ length: 65536 }, (_, i) => `line ${i}`);
    const b = [...lines];
    b[40000] = 'changed';
    const ops = diffLines(lines.join('\n'), b.join('\n'));
    expect(ops.length).toBe(65537);
    expect(ops.filter((l) => l.op !== 'same').map((l) => `${l.op} ${l.text}`)).toEqual(['del line 40000', 'add changed']);
    expect(ops[39999]).toEqual({ op: 'same', text: 'line 39999' });
    expect(ops[65536]).toEqual({ op: 'same', text: 'line 65535' });
  });

  it('says a middle is too large to diff instead of building a table of more than DIFF_CELLS cells', () => {
    const n = Math.ceil(Math.sqrt(DIFF_CELLS)) + 1;
    const a = ['top', ...Array.from({ length: n }, (_, i) => `a${i}`), 'end'];
    const b = ['top', ...Array.from({ length: n }, (_, i) => `b${i}`), 'end'];
    const ops = diffLines(a.join('\n'), b.join('\n'));
    expect(ops[0]).toEqual({ op: 'same', text: 'top' });
    expect(ops[1]!.text).toBe(`(${n} and ${n} changed lines: too large to diff line by line; the old lines, then the new)`);
    expect(ops.filter((l) => l.op === 'del').length).toBe(n);
    expect(ops.filter((l) => l.op === 'add').length).toBe(n);
    expect(ops[ops.length - 1]).toEqual({ op: 'same', text: 'end' });
  });
});

describe('share links', () => {
  it('round-trips code with unicode, backticks and ${}', async () => {
    const code = 'import { boot } from "mergeable";\nconst s = `${1 + 1} → ok`;\n'.repeat(20);
    const hash = await encodeShare({ id: 'regression/anon-merge', version: '6.16', code });
    expect(hash.startsWith('#run=regression%2Fanon-merge&v=6.16&code=')).toBe(true);
    expect(hash.length).toBeLessThan(code.length);
    expect(await decodeShare(hash)).toEqual({ id: 'regression/anon-merge', version: '6.16', code });
  });
  it('carries the compare column: a version, "" for compare off, and nothing for a link made before c= existed', async () => {
    const on = await encodeShare({ id: 'regression/anon-merge', version: '6.16', compare: '6.17', code: 'x;' });
    expect(on.startsWith('#run=regression%2Fanon-merge&v=6.16&c=6.17&code=')).toBe(true);
    expect(await decodeShare(on)).toEqual({ id: 'regression/anon-merge', version: '6.16', compare: '6.17', code: 'x;' });
    const off = await encodeShare({ id: 'regression/anon-merge', version: '6.16', compare: '', code: 'x;' });
    expect((await decodeShare(off))?.compare).toBe('');
    const old = await encodeShare({ id: 'regression/anon-merge', version: '6.16', code: 'x;' });
    expect(await decodeShare(old)).not.toHaveProperty('compare');
  });
  it('ignores hashes that are not share links', async () => {
    expect(await decodeShare('#the-fix-in-617')).toBeNull();
  });
  it('reports a damaged link', async () => {
    await expect(decodeShare('#run=a%2Fb&v=6.16&code=%%%')).rejects.toThrow(/damaged/);
  });
});

describe('expectations', () => {
  it('parses versions and claims', () => {
    const e = parseExpectations('6.16: 2 VMAs, mg; 6.17: 1 VMA, no mg, map_count 30; 6.3: EINVAL, log "a, b"');
    expect(e.map((x) => x.version)).toEqual(['6.16', '6.17', '6.3']);
    expect(e[0].claims).toEqual([{ kind: 'vmas', n: 2 }, { kind: 'mg', all: true }]);
    expect(e[1].claims).toEqual([{ kind: 'vmas', n: 1 }, { kind: 'mg', all: false }, { kind: 'map_count', n: 30 }]);
    expect(e[2].claims[0]).toEqual({ kind: 'errno', name: 'EINVAL' });
  });
  it('rejects unknown claims with a hint', () => {
    expect(() => parseExpectations('6.16: two VMAs')).toThrow(/bad claim "two VMAs".*use "N VMAs"/);
    expect(() => parseExpectations('2 VMAs')).toThrow(/<version>: <claim>/);
  });
});

describe('chapters', () => {
  const links = chapterLinks([
    { id: 'b/index', data: { title: 'B', order: 2 } },
    { id: 'regression/index', data: { title: 'The regression', order: 1 } },
  ]);
  it('orders by frontmatter order and links to /slug/', () => {
    expect(links.map((l) => l.href)).toEqual(['/regression/', '/b/']);
    expect(chapterSlug('regression/index.mdx')).toBe('regression');
  });
  it('prev/next', () => {
    expect(neighbours(links, 'regression').next?.slug).toBe('b');
    expect(neighbours(links, 'b').prev?.slug).toBe('regression');
    expect(neighbours(links, 'b').next).toBeUndefined();
  });
});

describe('diagram', () => {
  it('marks two identical adjacent VMAs as "not merged"', () => {
    const m = diagramModel([vma(0, 4), vma(4, 8, { pgoff: 4 })], { start: 0, end: 8 * P });
    expect(m.boxes.map((b) => [b.label, b.x, b.w])).toEqual([['A', 0, 0.5], ['B', 0.5, 0.5]]);
    expect(m.boundaries).toEqual([expect.objectContaining({ left: 'A', right: 'B', kind: 'identical', reasons: [] })]);
    expect(legend(m)).toContain('A|B at 0x4000: identical attributes, yet not merged');
  });
  it('names the flag that differs', () => {
    expect(separation(vma(0, 4), vma(4, 8, { vmflags: 'rd wr mr mw me ac sd', pgoff: 4 }))).toEqual(['mg only on the left VMA']);
    expect(separation(vma(0, 4, { perms: 'r--p', vmflags: 'rd mr mw me ac sd mg' }), vma(4, 8, { pgoff: 4 }))).toEqual(['wr only on the right VMA']);
  });
  it('draws gaps and clips big VMAs to the window', () => {
    const m = diagramModel([vma(0, 100), vma(102, 104)], { start: 96 * P, end: 104 * P });
    expect(m.boxes[0]).toMatchObject({ clippedLeft: true, x: 0, w: 0.5 });
    expect(m.gaps).toEqual([{ x: 0.5, w: 0.25 }]);
    expect(m.boundaries).toEqual([]);
  });
  it('SVG carries its text alternative and escapes it', () => {
    const m = diagramModel([vma(0, 4), vma(4, 8, { pgoff: 4 })], { start: 0, end: 8 * P });
    const svg = diagramSvg(m, { id: 'x', title: 'T <1>', description: 'AAAABBBB' });
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="x-t x-d"');
    expect(svg).toContain('<title id="x-t">T &lt;1&gt;</title>');
    expect(svg).toContain('<desc id="x-d">AAAABBBB</desc>');
    expect(svg).toContain('not merged');
  });
  it('boundary labels stay LABEL_GAP units apart, the first one too (it is pulled in from the edge)', () => {
    // 64 one-page VMAs that did not merge (the regression's picture): a boundary every 7.5 units.
    const vmas = Array.from({ length: 64 }, (_, i) => vma(i, i + 1, { pgoff: i }));
    const svg = diagramSvg(diagramModel(vmas, { start: 0, end: 64 * P }), { id: 'x', title: 't', description: 'd' });
    const xs = [...svg.matchAll(/<g class="bd identical">.*?<text x="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs.length).toBeGreaterThan(2);
    for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1]).toBeGreaterThanOrEqual(LABEL_GAP);
  });
});

describe('scenario evaluation', () => {
  it('injects only "mergeable" and reports the source line of an error', () => {
    const fake = { boom: () => { throw new Error('x'); } };
    const js = 'const m = require("mergeable");\n\n m.boom();';
    const fn = scenarioFunction(js, fake, 'probe-scenario.ts');
    let err: unknown;
    try { fn(); } catch (e) { err = e; }
    expect(scenarioLine(err, 'probe-scenario.ts')).toEqual({ line: 3, column: expect.any(Number) });
    expect(() => scenarioFunction('require("fs")', fake)()).toThrow(/only import from "mergeable"/);
  });
});
