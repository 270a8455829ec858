// Build- and test-time loader for exercises (Node only; the page gets them rendered by
// components/Exercise.astro). An exercise is data, Learn Git Branching style:
//   content/<chapter>/exercises/<name>.ts           starting code (must NOT meet the goal)
//   content/<chapter>/exercises/<name>.solution.ts  reference solution (must meet it)
//   content/<chapter>/exercises/<name>.wrong.ts     a plausible wrong answer (must NOT meet it either)
//   content/<chapter>/exercises/<name>.json         { title, task, goal, hints }
// The code files are named .mts, not .ts: src/site/scenarios.ts listScenarios() takes every .ts
// under content/ for a playground scenario.
// The goal uses the chapters' expect grammar (src/site/expect.ts), e.g. "6.16: 1 VMA, mg".
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseExpectations } from '../../src/site/expect';
import { esc } from '../../src/site/html';

export const CONTENT = resolve(process.cwd(), 'content');

export interface ExerciseSpec { title: string; task: string; goal: string; hints: string[] }
export interface Exercise {
  id: string; chapter: string; name: string; spec: ExerciseSpec; start: string; solution: string; wrong: string;
  files: { start: string; solution: string; wrong: string; spec: string };
}

/** "vma-merging/share-anon-vma" → its three files. */
export function exerciseFiles(id: string) {
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(id);
  if (!m) throw new Error(`bad exercise id "${id}": expected "<chapter>/<name>" (lower case, digits, dashes)`);
  const dir = join(CONTENT, m[1], 'exercises');
  const code = (base: string) => (existsSync(join(dir, `${base}.ts`)) ? join(dir, `${base}.ts`) : join(dir, `${base}.mts`));
  return { chapter: m[1], name: m[2], start: code(m[2]), solution: code(`${m[2]}.solution`), wrong: code(`${m[2]}.wrong`), spec: join(dir, `${m[2]}.json`) };
}

/** Read and validate one exercise. */
export function loadExercise(id: string): Exercise {
  const f = exerciseFiles(id);
  for (const p of [f.start, f.solution, f.wrong, f.spec]) {
    if (!existsSync(p)) throw new Error(`exercise "${id}": missing ${p.slice(CONTENT.length - 'content'.length)}`);
  }
  const spec = JSON.parse(readFileSync(f.spec, 'utf8')) as ExerciseSpec;
  for (const k of ['title', 'task', 'goal'] as const) {
    if (typeof spec[k] !== 'string' || !spec[k]) throw new Error(`exercise "${id}": ${k} must be a non-empty string`);
  }
  if (!Array.isArray(spec.hints) || spec.hints.length === 0) throw new Error(`exercise "${id}": give at least one hint`);
  parseExpectations(spec.goal); // throws with the offending part on bad syntax
  const read = (p: string) => readFileSync(p, 'utf8');
  return { id, chapter: f.chapter, name: f.name, spec, start: read(f.start), solution: read(f.solution), wrong: read(f.wrong),
    files: { start: f.start, solution: f.solution, wrong: f.wrong, spec: f.spec } };
}

/** Every exercise id under content/. */
export function listExercises(): string[] {
  const out: string[] = [];
  for (const chapter of readdirSync(CONTENT)) {
    const dir = join(CONTENT, chapter, 'exercises');
    if (!statSync(join(CONTENT, chapter)).isDirectory() || !existsSync(dir)) continue;
    for (const n of readdirSync(dir)) if (n.endsWith('.json')) out.push(`${chapter}/${n.replace(/\.json$/, '')}`);
  }
  return out.sort();
}

/** Inline markdown of task and hint texts: `code` only, everything else escaped. */
export function inlineMd(s: string): string {
  return s.split('`').map((part, i) => (i % 2 ? `<code>${esc(part)}</code>` : esc(part))).join('');
}
