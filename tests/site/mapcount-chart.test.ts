// The map_count chart: its geometry and text alternative from given counts, then on real runs of
// the regression chapter's "64 one-page mappings" scenario (6.16 climbs, 6.17 stays flat).
import { describe, expect, it } from 'vitest';
import { mapCountChart, MIN_STEPS, type MapCountSeries } from '../../src/site/mapcount-chart';
import { runScenarioSource } from '../../src/site/scenario-runner';
import { runView } from '../../src/site/run-view';
import { diffResults } from '../../src/site/diff';
import { compareHtml, runHtml } from '../../src/site/output-html';
import { readScenario } from '../../src/site/scenarios';

const ser = (label: string, counts: (number | null)[], errnos: (string | null)[] = []): MapCountSeries => ({ label, counts, errnos });

/** The y of each dot of series `s`, top to bottom in SVG units. */
function dotsY(svg: string, s: number): number[] {
  const g = new RegExp(`<g class="series s${s}">(.*?)</g>`).exec(svg)![1];
  return [...g.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
}

/** The y values the step line of series `s` visits (its V and M commands), in order. */
function lineYs(svg: string, s: number): number[] {
  const d = new RegExp(`<g class="series s${s}"><path d="([^"]*)"`).exec(svg)![1]!;
  return [...d.matchAll(/(?:M[\d.]+ |V)([\d.]+)/g)].map((m) => Number(m[1]));
}

describe('mapCountChart', () => {
  it('a 65,530-step line is drawn per column, and reaches the same lowest, highest and last map_count', () => {
    const counts = Array.from({ length: 65_530 }, (_, i) => 20 + i - (i % 7 === 0 ? 3 : 0));
    const svg = mapCountChart([ser('6.18', counts)], { id: 'c', step: null, title: 't' });
    const few = mapCountChart([ser('6.18', counts.slice(0, 60))], { id: 'c', step: null, title: 't' });
    expect(svg.length).toBeLessThan(200_000);
    const ys = lineYs(svg, 0);
    expect(Math.max(...ys)).toBe(Math.max(...lineYs(few, 0))); // the lowest count, bottom of the chart
    expect(Math.min(...ys)).toBe(10); // the highest count, at the top margin
    expect(ys[ys.length - 1]).toBe(10); // the last (highest) count
  });

  it('draws nothing for fewer than MIN_STEPS steps of the process', () => {
    const few = Array.from({ length: MIN_STEPS - 1 }, (_, i) => 20 + i);
    expect(mapCountChart([ser('6.17', few)], { id: 'c', step: null, title: 't' })).toBe('');
    expect(mapCountChart([ser('6.17', [...few, null, null])], { id: 'c', step: null, title: 't' })).toBe('');
    expect(mapCountChart([ser('6.17', [...few, 27])], { id: 'c', step: null, title: 't' })).not.toBe('');
  });

  it('one dot per step of the process, higher map_count higher up; steps of other processes are skipped', () => {
    const svg = mapCountChart([ser('6.16', [20, 21, null, 22, 22, 22, 22, 22, 21])], { id: 'c', step: null, title: 't' });
    const y = dotsY(svg, 0);
    expect(y).toHaveLength(8);
    expect(y[0]).toBeGreaterThan(y[1]);
    expect(y[1]).toBeGreaterThan(y[2]);
    expect(y[2]).toBe(y[3]);
    expect(y[7]).toBe(y[1]);
    // A step line: horizontal to the next step, then vertical to its count.
    expect(/<path d="M[\d.]+ [\d.]+(H[\d.]+V[\d.]+){7}"\/>/.test(svg)).toBe(true);
    expect(svg).toContain('map_count 20 after step 1, 21 after step 9 (highest 22); after each step: 20, 21, 22, 22, 22, 22, 22, 21');
  });

  it('keeps one VMA more from filling the whole height (the y range spans at least 4)', () => {
    const svg = mapCountChart([ser('6.16', [20, 21, 21, 21, 21, 21, 21, 21])], { id: 'c', step: null, title: 't' });
    const [a, b] = dotsY(svg, 0);
    const grid = [...svg.matchAll(/<line class="grid" [^>]*y1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(svg).toContain('>24</text>');
    // Grid lines at 20, 22 and 24: one VMA is a quarter of the way from the lowest to the highest.
    expect(a - b).toBeCloseTo((grid[0] - grid[2]) / 4, 1);
  });

  it('marks the selected step and gives every step a click target', () => {
    const svg = mapCountChart([ser('6.16', [1, 2, 3, 4, 5, 6, 7, 8])], { id: 'c', step: 1, title: 't' });
    expect(svg.match(/class="hit" data-step="\d"/g)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `class="hit" data-step="${i}"`));
    const cur = /<line class="cur" x1="([\d.]+)"/.exec(svg)![1];
    const mid = /<circle cx="([\d.]+)"/g;
    const xs = [...svg.matchAll(mid)].map((m) => m[1]);
    expect(cur).toBe(xs[1]);
  });

  it('starts the x axis at the first step of the process', () => {
    const svg = mapCountChart([ser('6.17', [null, null, null, 1, 2, 3, 4, 5, 6, 7, 8])], { id: 'c', step: null, title: 't' });
    expect(svg).toContain('>step 4</text>');
    expect(svg).toContain('>step 11</text>');
    expect(svg).not.toContain('data-step="2"');
    expect(/<circle cx="46"/.test(svg)).toBe(true);
  });

  it('crosses out failed steps and names the errno of the last one', () => {
    const counts = [21, 22, 23, 24, 25, 26, 27, 27, 27];
    const errnos = [null, null, null, null, null, null, null, 'ENOMEM', 'ENOMEM'];
    const svg = mapCountChart([ser('6.16', counts, errnos)], { id: 'c', step: null, title: 't' });
    expect(svg.match(/class="err"/g)).toHaveLength(2);
    expect(svg.match(/class="errno"[^>]*>ENOMEM</g)).toHaveLength(1);
    expect(dotsY(svg, 0)).toHaveLength(7);
    expect(svg).toContain('step 8 failed with ENOMEM, step 9 failed with ENOMEM');
  });

  it('escapes labels and titles', () => {
    const svg = mapCountChart([ser('<b>', [1, 2, 3, 4, 5, 6, 7, 8])], { id: 'c', step: null, title: 'a & b' });
    expect(svg).toContain('a &amp; b');
    expect(svg).not.toContain('<b>');
  });
});

describe('the chart on real runs', () => {
  const src = readScenario('regression/many-mappings');
  const v16 = runView(runScenarioSource(src, { version: '6.16' }));
  const v17 = runView(runScenarioSource(src, { version: '6.17' }));

  it('compare mode draws one chart for both versions: 6.16 ends higher than 6.17', () => {
    const html = compareHtml(v16, v17, diffResults(v16, v17), 'm', null);
    expect(html.match(/class="pg-mc"/g)).toHaveLength(1);
    const y16 = dotsY(html, 0);
    const y17 = dotsY(html, 1);
    expect(y16.at(-1)!).toBeLessThan(y17.at(-1)!);
    // Each mapping adds a VMA on 6.16 (merge-any regression); on 6.17 they merge into one.
    expect(v16.final.mapCount - v17.final.mapCount).toBeGreaterThan(32);
    expect(html).toContain('Linux 6.16</li><li class="s1"><span aria-hidden="true"></span>Linux 6.17');
  });

  it('vm.max_map_count: the 6.16 line stops at the failed mmap(), marked ENOMEM', () => {
    const src = readScenario('regression/max-map-count');
    const a = runView(runScenarioSource(src, { version: '6.16' }));
    const b = runView(runScenarioSource(src, { version: '6.17' }));
    const html = compareHtml(a, b, diffResults(a, b), 'x', null);
    const s0 = /<g class="series s0">(.*?)<\/g>/.exec(html)![1];
    expect(s0).toContain('>ENOMEM</text>');
    expect(/<g class="series s1">(.*?)<\/g>/.exec(html)![1]).not.toContain('class="err"');
  });

  it('a single run has its own chart, captioned with its version; without stepping (an exercise) it takes no clicks', () => {
    const html = runHtml(v17, { uid: 's', step: null });
    expect(html).toContain('<code>map_count</code> after each step on Linux 6.17 (click a step to see it)');
    const still = runHtml(v17, { uid: 's', step: null, stepping: false });
    expect(still).toContain('<code>map_count</code> after each step on Linux 6.17</span>');
    expect(still).not.toContain('class="hit"');
  });
});
