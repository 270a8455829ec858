// The playground's data path on real engine runs: windows, RunView, compare diff and HTML.
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from 'mergeable';
import { runScenarioSource } from '../../src/site/scenario-runner';
import { runView, stepVmas } from '../../src/site/run-view';
import { diffResults } from '../../src/site/diff';
import { EVENTS_SHOWN, STEPS_UNBOXED, runHtml } from '../../src/site/output-html';

const SRC = `import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";
const p = boot().spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const a = p.mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.mmap(a - 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
console.log("a <b>", a > 0);
`;

describe('RunView', () => {
  const v16 = runView(runScenarioSource(SRC, { version: '6.16' }));
  const v17 = runView(runScenarioSource(SRC, { version: '6.17' }));
  it('the window covers the touched pages, one per step trace', () => {
    expect(v16.windows).toHaveLength(1);
    const mm = v16.steps.filter((s) => s.syscall === 'mmap');
    const lowest = Number(/= (0x[0-9a-f]+)$/.exec(mm[1].text)![1]);
    expect(v16.windows[0].start).toBe(lowest);
    expect(v16.windows[0].end - v16.windows[0].start).toBeGreaterThanOrEqual(8 * PAGE_SIZE);
  });
  it('keeps each step\'s VMAs (deduplicated) and the console output', () => {
    expect(v16.steps.map((s) => s.syscall)).toEqual(['spawn', 'prctl', 'mmap', 'mmap']);
    expect(stepVmas(v16, 3).length).toBeGreaterThan(stepVmas(v17, 3).length);
    expect(v16.log).toEqual(['a <b> true']);
    expect(v16.vmaTable.length).toBe(new Set(v16.vmaTable.map((x) => JSON.stringify(x))).size);
  });
  it('compare marks the steps and maps lines that differ', () => {
    const d = diffResults(v16, v17);
    expect(d.steps.map((s) => s.differs)).toEqual([false, false, true, true]);
    expect(d.maps.some((l) => l.op === 'del')).toBe(true);
    expect(d.mapCount[0]).toBeGreaterThan(d.mapCount[1]);
  });
  it('renders escaped HTML with a step selected', () => {
    const html = runHtml(v16, { uid: 't', step: 2 });
    expect(html).toContain('Step 3 of 4');
    expect(html).toContain('aria-current="step"');
    expect(html).toContain('a &lt;b&gt; true');
    expect(html).not.toContain('a <b> true');
    expect(html).toContain('https://elixir.bootlin.com/linux/v6.16/C/ident/');
  });
  it('folds a long event list (a ksmd pass logs a line per page) behind "N more kernel events"', () => {
    const many = { ...v16, steps: v16.steps.map((st, i) => (i === 3 ? { ...st, events: Array.from({ length: 20 }, (_, j) => ({ kind: 'ksm', fn: 'try_to_merge_one_page', text: `page ${j}` })) } : st)) };
    const html = runHtml(many, { uid: 'f', step: null });
    const step = html.slice(html.indexOf('data-step="3"'));
    const open = step.slice(0, step.indexOf('<details class="pg-more">'));
    expect(open.match(/<li class="ev /g)).toHaveLength(EVENTS_SHOWN - 1);
    expect(step).toContain(`<summary>${20 - (EVENTS_SHOWN - 1)} more kernel events</summary>`);
    expect(step).toContain('page 19');
    // A short list is shown whole.
    expect(runHtml(v16, { uid: 'g', step: null })).not.toContain('pg-more');
  });
  it('a long step list scrolls in a labelled box of its own; a short one does not', () => {
    const long = { ...v16, steps: Array.from({ length: STEPS_UNBOXED + 1 }, () => v16.steps[0]) };
    expect(runHtml(long, { uid: 'l', step: null })).toContain(`<div class="pg-steps-box" tabindex="0" role="region" aria-label="The ${STEPS_UNBOXED + 1} steps on Linux 6.16">`);
    expect(runHtml(v16, { uid: 's', step: null })).not.toContain('pg-steps-box');
  });
  it('the final state counts its steps in words that fit one step', () => {
    expect(runHtml(v16, { uid: 's', step: null })).toContain('Final state, after all 4 steps.');
    expect(runHtml({ ...v16, steps: v16.steps.slice(0, 1) }, { uid: 'o', step: null })).toContain('Final state, after its one step.');
  });
  it('a scenario that throws before its first call has a final state before any syscall, not "after all 0 steps"', () => {
    const html = runHtml({ ...v16, steps: [] }, { uid: 'z', step: null });
    expect(html).toContain('Final state, before any syscall.');
    expect(html).not.toContain('0 steps');
  });
  it('a big run\'s step and maps line counts are grouped in thousands, as the rest of the page writes them', () => {
    const big = { ...v16, steps: Array.from({ length: 12_345 }, () => v16.steps[0]), final: { ...v16.final, mapCount: 65_531 } };
    const html = runHtml(big, { uid: 'b', step: null, firstScreen: true });
    expect(html).toContain('Final state, after all 12,345 steps.');
    expect(html).toContain('maps</code> (65,531 lines)');
    expect(runHtml(big, { uid: 'b', step: 9_999 })).toContain('Step 10,000 of 12,345: ');
  });
  it('a log longer than the lines shown scrolls in its own box, with Show more; a short one does not', () => {
    const long = { ...v16, log: Array.from({ length: 300 }, (_, i) => `line ${i}`) };
    expect(runHtml(long, { uid: 'g', step: null })).toMatch(/<pre class="pg-pre pg-long" tabindex="0">line 0\n/);
    expect(runHtml(long, { uid: 'g', step: null })).toContain('100 more lines of console.log.');
    expect(runHtml(v16, { uid: 's', step: null })).not.toContain('pg-long');
  });
  it('a refused call shows its errno and the source line', () => {
    const r = runScenarioSource(SRC.replace('a - 4 * PAGE_SIZE', 'a + 1'), { version: '6.17' });
    const v = runView(r);
    expect(v.error).toMatchObject({ name: 'KernelError', errno: 'EINVAL' });
    expect(v.steps.at(-1)!.errno).toBe('EINVAL');
    expect(runHtml(v, { uid: 'e', step: null })).toContain('pg-error');
  });
});

describe('error lines at build time', () => {
  it('point at the source line, through TypeScript\'s output', () => {
    const src = '// comment\nimport { boot, PAGE_SIZE } from "mergeable";\n\n\nconst p = boot().spawn();\n\np.munmap(1, PAGE_SIZE);\n';
    const r = runScenarioSource(src, { version: '6.17' });
    expect(r.error?.errno).toBe('EINVAL');
    expect(r.errorLine).toBe(7);
  });
});
