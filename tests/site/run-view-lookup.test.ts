// runView() of a run whose final VMAs come as a lookup (RunOptions.vmasListed, the page's run
// worker) is the same RunView as of the same run with the list: windows, counts, mg lines, pictures.
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_LIMIT } from 'mergeable';
import { runScenarioSource } from '../../src/site/scenario-runner';
import { runView } from '../../src/site/run-view';
import { MAPS_LINES_KEPT, STEP_EVENTS_KEPT } from '../../src/site/view-limits';

const HEAD = 'import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, MADV_MERGEABLE } from "mergeable";\n';
/**
 * `n` one-page mmaps of alternating protection (none merge, each below the last), then
 * MADV_MERGEABLE on the lowest two, which are in the maps lines a page keeps.
 */
const many = (n: number) => HEAD + `const p = boot().spawn();\nlet a = 0;\nfor (let i = 0; i < ${n}; i++) a = p.mmap(0, PAGE_SIZE, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\np.madvise(a, 2 * PAGE_SIZE, MADV_MERGEABLE);\n`;
/** Two mappings 100 pages apart, and a madvise() that splits one: two windows. */
const small = HEAD + 'const p = boot().spawn();\nconst a = 0x600000000000;\nconst anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;\np.mmap(a, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, anon);\np.mmap(a + 100 * PAGE_SIZE, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, anon);\np.madvise(a + PAGE_SIZE, PAGE_SIZE, MADV_MERGEABLE);\n';

function both(code: string, vmasListed: number) {
  const opts = { version: '6.18', traceDetail: STEP_EVENTS_KEPT, smaps: false, mapsLines: MAPS_LINES_KEPT };
  const listed = runView(runScenarioSource(code, opts));
  const looked = runScenarioSource(code, { ...opts, vmasListed });
  expect(looked.kernels[0]!.processes.some((p) => p.lookup)).toBe(true);
  return { listed, looked: runView(looked) };
}

describe('runView() with a VMA lookup', () => {
  it(`past SNAPSHOT_LIMIT (${SNAPSHOT_LIMIT + 200} VMAs): the same view, with the count in view and not the VMAs`, () => {
    const { listed, looked } = both(many(SNAPSHOT_LIMIT + 200), SNAPSHOT_LIMIT);
    expect(looked.final.vmasNotKept).toBeGreaterThan(SNAPSHOT_LIMIT);
    expect(looked.final.smapsMg.length).toBeGreaterThan(0);
    expect(JSON.stringify(looked)).toBe(JSON.stringify(listed));
  });

  it('a small run looked up (vmasListed 0): the same view, every VMA drawn', () => {
    const { listed, looked } = both(small, 0);
    expect(looked.windows.length).toBe(2);
    expect(looked.final.pictures.length).toBe(2);
    expect(JSON.stringify(looked)).toBe(JSON.stringify(listed));
  });
});
