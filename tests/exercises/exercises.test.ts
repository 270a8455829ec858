// Exercises are data (content/<chapter>/exercises/): every reference solution must meet its goal,
// every starting code must not (or the exercise is solved before the reader starts), both must
// type-check against the engine, a plausible wrong answer (<name>.wrong.mts) must be rejected, and the page's RunView checker must agree with the chapters'
// ScenarioResult checker. Chapters from 2 on end with exactly two exercises that exist.
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listExercises, loadExercise, CONTENT } from '../../components/client/exercise-data';
import { checkGoal, checkClaimView, goalVersions } from '../../components/client/exercise-check';
import { parseExpectations, checkClaim } from '../../src/site/expect';
import { runScenarioSource } from '../../src/site/scenario-runner';
import { runView, type RunView } from '../../src/site/run-view';

const ids = listExercises();
const all = ids.map(loadExercise);

// One program for every exercise file: a program per file costs seconds each under load.
let diagnostics: Map<string, string[]> | undefined;
function typeErrors(file: string): string[] {
  if (!diagnostics) {
    const files = all.flatMap((ex) => [ex.files.start, ex.files.solution, ex.files.wrong]).map((f) => resolve(f));
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      paths: { mergeable: [resolve(process.cwd(), 'src/engine/index.ts')] },
    });
    diagnostics = new Map(files.map((f) => [f, []]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const list = d.file && diagnostics.get(resolve(d.file.fileName));
      if (!list) continue;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      list.push(`${d.file!.fileName}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }
  return diagnostics.get(resolve(file)) ?? [`${file}: not in the type-checked program`];
}

/** Run code on the goal's versions as the page does (RunView per version), keeping the raw results. */
function runGoal(code: string, goal: string) {
  const results = Object.fromEntries(goalVersions(goal).map((v) => [v, runScenarioSource(code, { version: v })]));
  const views: Record<string, RunView> = Object.fromEntries(Object.entries(results).map(([v, r]) => [v, runView(r)]));
  return { results, views, goal: checkGoal(goal, views) };
}

describe('exercises exist', () => {
  it('finds exercises under content/*/exercises', () => {
    expect(ids.length).toBeGreaterThanOrEqual(6);
  });

  const chapters = readdirSync(CONTENT).filter((c) => existsSync(join(CONTENT, c, 'index.mdx')));
  it.each(chapters)('chapter %s: every <Exercise> names an exercise, and every exercise is embedded once', (c) => {
    const mdx = readFileSync(join(CONTENT, c, 'index.mdx'), 'utf8');
    const used = [...mdx.matchAll(/<Exercise\b[^>]*\bsrc=["']([^"']+)["']/g)].map((m) => m[1]);
    for (const id of used) expect(ids, `${c}/index.mdx embeds <Exercise src="${id}"> but there is no content/${id.replace('/', '/exercises/')}.json`).toContain(id);
    const mine = ids.filter((id) => id.startsWith(c + '/'));
    expect([...used].sort(), `${c}: exercises in content/${c}/exercises/ that the chapter does not embed`).toEqual(expect.arrayContaining(mine));
    const order = Number(/^order:\s*(\d+)/m.exec(mdx)?.[1]);
    if (mine.length) expect(used.length, `${c}: two exercises per chapter`).toBe(2);
    if (mine.length) expect(order).toBeGreaterThanOrEqual(2);
  });
});

describe.each(all)('exercise $id', (ex) => {
  it('has a goal in the expect grammar, a task and hints', () => {
    expect(parseExpectations(ex.spec.goal).length).toBeGreaterThan(0);
    expect(ex.spec.hints.every((h) => h.trim().length > 0)).toBe(true);
  });

  it('starting code, solution and wrong answer type-check against the engine', () => {
    expect(typeErrors(ex.files.start)).toEqual([]);
    expect(typeErrors(ex.files.solution)).toEqual([]);
    expect(typeErrors(ex.files.wrong)).toEqual([]);
  }, 120_000);

  it('the reference solution meets the goal', () => {
    const { goal, results } = runGoal(ex.solution, ex.spec.goal);
    const failed = goal.versions.flatMap((v) => v.checks.filter((c) => !c.ok).map((c) => `${v.version}: ${c.text} (actual: ${c.actual})`));
    const errs = Object.entries(results).filter(([, r]) => r.error && !/KernelError/.test(r.error.name)).map(([v, r]) => `${v}: ${r.error!.name}: ${r.error!.message}`);
    expect(errs, `${ex.id}: the solution crashed`).toEqual([]);
    expect(failed, `${ex.id}: the solution in ${ex.files.solution} does not meet "${ex.spec.goal}"`).toEqual([]);
    expect(goal.ok).toBe(true);
  });

  it('the starting code does not meet the goal (the exercise is not solved already)', () => {
    const { goal } = runGoal(ex.start, ex.spec.goal);
    expect(goal.ok, `${ex.id}: the starting code in ${ex.files.start} already meets "${ex.spec.goal}"`).toBe(false);
  });

  it('a plausible wrong answer runs and is rejected (the goal pins everything the task asks)', () => {
    const { goal, results } = runGoal(ex.wrong, ex.spec.goal);
    const errs = Object.entries(results).filter(([, r]) => r.error && !/KernelError/.test(r.error.name)).map(([v, r]) => `${v}: ${r.error!.name}: ${r.error!.message}`);
    expect(errs, `${ex.id}: the wrong answer crashed instead of running`).toEqual([]);
    expect(goal.ok, `${ex.id}: the wrong answer in ${ex.files.wrong} meets "${ex.spec.goal}"`).toBe(false);
  });

  it("the page's checker (RunView) agrees with the chapters' checker (ScenarioResult)", () => {
    for (const code of [ex.start, ex.solution, ex.wrong]) {
      const { results, views } = runGoal(code, ex.spec.goal);
      for (const e of parseExpectations(ex.spec.goal)) {
        for (const c of e.claims) {
          const a = checkClaim(c, results[e.version]);
          const b = checkClaimView(c, views[e.version]);
          expect({ ok: b.ok, actual: b.actual }).toEqual({ ok: a.ok, actual: a.actual });
        }
      }
    }
  });
});

describe('checkGoal', () => {
  it('fails claims on versions that were not run', () => {
    const r = checkGoal('6.16: 1 VMA', {});
    expect(r.ok).toBe(false);
    expect(r.versions[0].checks[0].actual).toBe('not run on 6.16');
  });
});
