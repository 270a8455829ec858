// Everything a <Playground> renders, computed at build time from the real engine.
import { versions, LATEST_VERSION } from 'mergeable';
import { readScenario } from './scenarios';
import { runScenarioSource } from './scenario-runner';
import { runView, type RunView } from './run-view';
import { checkClaim, playgroundExpectations, withoutExpectations, type ClaimCheck } from './expect';
import { diffResults, type ResultDiff } from './diff';
import { highlightTs } from './highlight';
import { compareHtml, singleNode } from './output-html';
import { toHtml } from './dom';
import type { ScenarioResult } from 'mergeable';

export interface PlaygroundProps { src: string; title?: string; version?: string; compare?: string; expect?: string }

export interface ScenarioData { id: string; versions: string[]; views: Record<string, RunView> }

export interface PlaygroundModel {
  id: string; domId: string; title: string; source: string; codeHtml: string;
  versions: string[]; version: string; compare: [string, string] | null;
  expectations: { version: string; checks: ClaimCheck[] }[];
  allOk: boolean;
  outputHtml: string;        // static output (its first screen): one column, or two in compare mode
  dataUrl: string;
}

const cache = new Map<string, { results: Map<string, ScenarioResult>; data: ScenarioData }>();

/** Run a scenario on every supported version (memoised for the build). */
export function scenarioData(id: string): { results: Map<string, ScenarioResult>; data: ScenarioData } {
  let hit = cache.get(id);
  if (!hit) {
    const source = readScenario(id);
    const results = new Map<string, ScenarioResult>();
    const views: Record<string, RunView> = {};
    for (const v of versions()) {
      const r = runScenarioSource(source, { version: v, fileName: `${id.split('/').pop()}.ts` });
      results.set(v, r);
      views[v] = runView(r);
    }
    hit = { results, data: { id, versions: versions(), views } };
    cache.set(id, hit);
  }
  return hit;
}

function resultFor(id: string, version: string): ScenarioResult {
  const { results } = scenarioData(id);
  const r = results.get(version);
  if (r) return r;
  const extra = runScenarioSource(readScenario(id), { version });
  results.set(version, extra);
  return extra;
}

export async function buildPlayground(p: PlaygroundProps): Promise<PlaygroundModel> {
  const file = readScenario(p.src);
  const source = withoutExpectations(file);
  const { data, results } = scenarioData(p.src);
  const compare = p.compare ? (p.compare.split(',').map((s) => s.trim()) as [string, string]) : null;
  if (compare && (compare.length !== 2 || !compare.every((v) => results.has(v)))) {
    throw new Error(`Playground ${p.src}: compare="${p.compare}" must name two of ${data.versions.join(', ')}`);
  }
  const version = p.version ?? (compare ? compare[1] : LATEST_VERSION);
  const domId = 'pg-' + p.src.replace(/[^a-z0-9]+/g, '-');
  const expectations = playgroundExpectations(file, p.expect ?? null, `content/${p.src}.ts`)
    .map((e) => ({ version: e.version, checks: e.claims.map((c) => checkClaim(c, resultFor(p.src, e.version))) }));
  const allOk = expectations.every((e) => e.checks.every((c) => c.ok));
  if (!allOk) console.warn(`[mergeable] ${p.src}: an expectation written for it does not hold`, JSON.stringify(expectations));
  let outputHtml: string;
  if (compare) {
    const [a, b] = compare;
    outputHtml = compareHtml(data.views[a], data.views[b], diffResults(data.views[a], data.views[b]), domId, null, true);
  } else {
    outputHtml = toHtml(singleNode(data.views[version] ?? runView(resultFor(p.src, version)), { uid: domId, step: null, firstScreen: true }));
  }
  return {
    id: p.src, domId, title: p.title ?? p.src, source, codeHtml: await highlightTs(source),
    versions: data.versions, version, compare, expectations, allOk, outputHtml,
    dataUrl: `/scenarios/${p.src}.json`,
  };
}
