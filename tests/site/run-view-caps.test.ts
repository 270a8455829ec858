// A run with more steps or more VMAs than a page can show keeps less per step: the VMAs in view
// up to what a diagram draws (STEP_VMAS_KEPT), the kernel events of the first STEP_EVENTS_KEPT
// steps. The view says what it left out, the reply schema accepts it, and the page says so. The
// page's run worker records only those steps in full (traceDetail): the rest travel as columns.
import { describe, expect, it } from 'vitest';
import { runScenarioSource } from '../../src/site/scenario-runner';
import { runView, STEP_EVENTS_KEPT, STEP_VMAS_KEPT } from '../../src/site/run-view';
import { parseReply } from '../../src/site/run-view-schema';
import { runHtml } from '../../src/site/output-html';
import { plural } from '../../src/site/grouped';
import { SNAPSHOT_LIMIT } from 'mergeable';

// Alternating protections: no two neighbours merge, so every mmap adds a VMA in view.
const N = Math.max(STEP_EVENTS_KEPT, SNAPSHOT_LIMIT) + 100;
const SOURCE = `import { boot, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } from "mergeable";
const p = boot().spawn("/usr/bin/app");
for (let i = 0; i < ${N}; i++) p.mmap(0, 4096, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
`;

describe('runView() of a run bigger than a page shows', () => {
  const view = runView(runScenarioSource(SOURCE, { version: '6.18' }));
  const mmaps = view.steps.filter((s) => s.syscall === 'mmap');

  it('keeps every step, its call and its map_count', () => {
    expect(mmaps.length).toBe(N);
    expect(mmaps[N - 1]!.mapCount - mmaps[0]!.mapCount).toBe(N - 1);
  });

  it('a step with more VMAs in view than a diagram draws keeps none, and says how many', () => {
    const big = mmaps.find((s) => s.vmasNotKept !== undefined)!;
    expect(big.vmasNotKept).toBe(STEP_VMAS_KEPT + 1);
    expect(big.vmas).toEqual([]);
    expect(big.pictures).toEqual([]);
    const small = mmaps[STEP_VMAS_KEPT - 100]!;
    expect(small.vmasNotKept).toBeUndefined();
    expect(small.vmas.length).toBeGreaterThan(0);
  });

  it(`steps past the first ${STEP_EVENTS_KEPT} keep no events, and say how many they had`, () => {
    const i = view.steps.findIndex((s) => s.eventsNotKept !== undefined);
    expect(i).toBe(STEP_EVENTS_KEPT);
    expect(view.steps[i - 1]!.events.length).toBeGreaterThan(0);
    expect(view.steps[i]!.events).toEqual([]);
    expect(view.steps[i]!.eventsNotKept).toBeGreaterThan(0);
  });

  it('the reply schema accepts such a view, and refuses a forged vmasNotKept', () => {
    const reply = (v: unknown) => JSON.stringify({ id: 1, kind: 'ok', views: { '6.18': v }, engineMs: 1, syscalls: N });
    expect(() => parseReply(reply(view), 1, ['6.18'])).not.toThrow();
    const forged = { ...view, steps: view.steps.map((s, k) => (k === 0 ? { ...s, vmasNotKept: 3 } : s)) };
    expect(() => parseReply(reply(forged), 1, ['6.18'])).toThrow(/vmasNotKept/);
  });

  it('the page says what was not kept, in place of the diagram, the VMA table and the events', () => {
    const big = view.steps.findIndex((s) => s.vmasNotKept !== undefined);
    expect(runHtml(view, { uid: 't', step: big }))
      .toContain(`${plural(STEP_VMAS_KEPT + 1, 'VMA')} after this step: too many to draw or list`);
    // Past SNAPSHOT_LIMIT the trace kept no VMAs: the step says how many the mm had, not "none".
    const last = view.steps.lastIndexOf(mmaps[N - 1]!);
    expect(view.steps[last]!.vmasNotKept).toBe(view.steps[last]!.mapCount);
    expect(runHtml(view, { uid: 't', step: last })).not.toContain('nothing is mapped there');
    expect(runHtml(view, { uid: 't', step: STEP_EVENTS_KEPT }))
      .toContain(`are not kept: a run keeps the events of its first ${STEP_EVENTS_KEPT.toLocaleString('en')} steps`);
  });
});

describe('a run in the page records its first STEP_EVENTS_KEPT steps in full, the rest brief', () => {
  const run = runScenarioSource(SOURCE, { version: '6.18' });
  const full = runView(run);
  const view = runView(runScenarioSource(SOURCE, { version: '6.18', traceDetail: STEP_EVENTS_KEPT, smaps: false }));
  const reply = (v: unknown) => JSON.stringify({ id: 1, kind: 'ok', views: { '6.18': v }, engineMs: 1, syscalls: N });
  const parsed = (v: unknown) => (parseReply(reply(v), 1, ['6.18']) as { views: Record<string, typeof view> }).views['6.18']!;

  it('the brief steps travel as columns, and the reply parser gives back the same calls, errnos and map_counts', () => {
    expect(view.steps.length).toBe(STEP_EVENTS_KEPT);
    const back = parsed(view);
    expect(back.steps.length).toBe(full.steps.length);
    const call = (s: (typeof view.steps)[number]) => [s.seq, s.pid, s.syscall, s.text, s.errno, s.errnoMessage, s.mapCount];
    expect(back.steps.map(call)).toEqual(full.steps.map(call));
    expect(back.steps.slice(0, STEP_EVENTS_KEPT).map((s) => s.events)).toEqual(full.steps.slice(0, STEP_EVENTS_KEPT).map((s) => s.events));
    expect(back.steps[STEP_EVENTS_KEPT]!.brief).toBe(true);
    expect(back.steps[STEP_EVENTS_KEPT]!.events).toEqual([]);
    expect(back.final.maps).toBe(full.final.maps);
    expect(back.final.smapsMg).toEqual(full.final.smapsMg);
  });

  it('a brief step says its events were not recorded; the final state counts the VMAs it does not draw', () => {
    const back = parsed(view);
    expect(runHtml(back, { uid: 't', step: STEP_EVENTS_KEPT + 1 })).toContain("This step's kernel events were not recorded");
    expect(back.final.vmasNotKept).toBe(run.kernels[0]!.processes[0]!.vmas.filter((v) => back.windows.some((w) => v.start < w.end && v.end > w.start)).length);
    expect(back.final.vmasNotKept).toBeGreaterThan(SNAPSHOT_LIMIT);
    expect(runHtml(back, { uid: 't', step: null })).toContain(`${plural(back.final.vmasNotKept!, 'VMA')} in view: too many to draw`);
  });

  it('the reply schema refuses brief columns of the wrong length, and shows an unreadable call as such', () => {
    const b = view.brief!;
    expect(() => parsed({ ...view, brief: { ...b, pid: b.pid.slice(1) } })).toThrow(/brief\.pid: expected/);
    expect(() => parsed({ ...view, brief: { ...b, syscall: b.syscall.map(() => 99) } })).toThrow(/brief\.syscall\[0\]/);
    const lines = b.args.split('\n');
    lines[0] = '{"not": "a list"}';
    expect(parsed({ ...view, brief: { ...b, args: lines.join('\n') } }).steps[STEP_EVENTS_KEPT]!.text).toBe('mmap(unreadable arguments)');
    expect(() => parsed({ ...view, brief: { ...b, argLine: b.argLine.map(() => lines.length) } })).toThrow(/brief\.argLine\[0\]/);
    const steps = view.steps.map((s, i) => (i === 3 ? { ...s, vmas: [...s.vmas, view.vmaTable.length] } : s));
    expect(() => parsed({ ...view, steps })).toThrow(new RegExp(`steps\\[3\\]\\.vmas\\[${view.steps[3]!.vmas.length}\\]: no such VMA in vmaTable`));
  });

  it('a loop\'s repeated arguments travel once', () => {
    // Two protections alternate: two distinct argument lists for every brief mmap.
    expect(view.brief!.args.split('\n').length).toBe(2);
    expect(view.brief!.argLine.length).toBe(view.brief!.syscall.length);
  });
});

describe('a run in the page keeps the first lines of /proc/PID/maps', () => {
  const KEPT = 100;
  const full = runView(runScenarioSource(SOURCE, { version: '6.18', smaps: false }));
  const view = runView(runScenarioSource(SOURCE, { version: '6.18', smaps: false, mapsLines: KEPT }));
  const lines = (t: string) => t.replace(/\n$/, '').split('\n');

  it('the first lines, as head -n; the view counts the rest (the last is [vsyscall])', () => {
    expect(lines(view.final.maps)).toEqual(lines(full.final.maps).slice(0, KEPT));
    expect(full.final.mapsNotKept).toBeUndefined();
    expect(view.final.mapsNotKept).toBe(lines(full.final.maps).length - KEPT);
    expect(view.final.mapCount).toBe(full.final.mapCount);
  });

  it('the reply schema accepts it, and the page says what was not kept', () => {
    const back = (parseReply(JSON.stringify({ id: 1, kind: 'ok', views: { '6.18': view }, engineMs: 1, syscalls: N }), 1, ['6.18']) as
      { views: Record<string, typeof view> }).views['6.18']!;
    expect(back.final.mapsNotKept).toBe(view.final.mapsNotKept);
    expect(runHtml(back, { uid: 't', step: null })).toContain(`the other ${plural(view.final.mapsNotKept!, 'line')} (and their smaps) were not kept`);
  });
});
