// What a reader sees of every chapter scenario, per version it is shown or checked on, kept as a
// reviewed text file in tests/site/results/: an engine change that alters a log line, a step's
// explanation, a VMA or the maps shows up as a diff of these files (`npx vitest -u` rewrites them).
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from 'mergeable';
import { chapterScenarios } from '../../src/site/doctest';
import { playgroundExpectations } from '../../src/site/expect';
import { readScenario } from '../../src/site/scenarios';
import { runScenarioSource } from '../../src/site/scenario-runner';
import { runView } from '../../src/site/run-view';
import { traceText } from '../../src/cli/scenario';
import { focusProcess } from '../../src/site/result';

/** The versions a playground shows (version=, compare=, else the latest) and the ones it checks. */
function shownVersions(s: ReturnType<typeof chapterScenarios>[number]): string[] {
  const shown = s.compare ? s.compare.split(',').map((v) => v.trim()) : [s.version ?? LATEST_VERSION];
  const checked = playgroundExpectations(readScenario(s.src), s.expect, s.src).map((e) => e.version);
  return [...new Set([...shown, ...checked])];
}

function resultText(src: string, version: string): string {
  const r = runScenarioSource(readScenario(src), { version, fileName: `${src.split('/').pop()}.ts` });
  const view = runView(r);
  const proc = focusProcess(r);
  const steps = (r.kernels[0]?.trace ?? []).filter((s) => s.pid === proc?.pid);
  return [
    `# content/${src}.ts on Linux ${version}`,
    '## log', ...r.log,
    ...(r.error ? ['## error', `${r.error.name}: ${r.error.message}`] : []),
    `## trace of pid ${proc?.pid ?? '-'}`, traceText(steps).trimEnd(),
    '## the windows', ...view.final.pictures,
    `## /proc/${proc?.pid ?? '-'}/maps (map_count ${view.final.mapCount})`, view.final.maps.trimEnd(),
    '',
  ].join('\n');
}

const cases = chapterScenarios().flatMap((s) => shownVersions(s).map((version) => ({ src: s.src, version })));

describe('scenario results', () => {
  it.each(cases)('$src on $version', async ({ src, version }) => {
    await expect(resultText(src, version)).toMatchFileSnapshot(`results/${src}/${version}.txt`);
  });
});
