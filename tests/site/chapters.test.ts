// Chapter doctests: every scenario of every chapter is type-checked against the engine, run on
// the versions it has expectations for (its file's `// @expect` lines and the chapter's expect=),
// and each expectation is asserted.
import { describe, expect, it } from 'vitest';
import { chapterScenarios, typeCheckScenarios } from '../../src/site/doctest';
import { listScenarios, readScenario } from '../../src/site/scenarios';
import { parseExpectations, checkClaim, playgroundExpectations } from '../../src/site/expect';
import { runScenarioSource } from '../../src/site/scenario-runner';
import { runView } from '../../src/site/run-view';
import { versions } from 'mergeable';

const all = chapterScenarios();
const ids = [...new Set(all.map((s) => s.src))];
const typeErrors = typeCheckScenarios(listScenarios());

describe('chapters have scenarios', () => {
  it('finds every <Playground> and every scenario file is used by a chapter', () => {
    expect(all.length).toBeGreaterThan(0);
    const unused = listScenarios().filter((id) => !ids.includes(id));
    expect(unused, `scenario files no chapter embeds: ${unused.join(', ')}`).toEqual([]);
  });
});

describe('every playground states its outcome', () => {
  it('has at least one expectation per <Playground>', () => {
    const bare = all.filter((s) => playgroundExpectations(readScenario(s.src), s.expect, s.src).length === 0);
    console.log(`playgrounds with expectations: ${all.length - bare.length}/${all.length}`);
    expect(bare.map((s) => `${s.chapter}:${s.line} ${s.src}`), 'add `// @expect <version>: <claims>` lines to these scenario files').toEqual([]);
  });
});

describe.each(all)('$chapter:$line scenario $src', (s) => {
  it('type-checks against the engine', () => {
    const errs = typeErrors.get(s.src) ?? [`content/${s.src}.ts is missing`];
    expect(errs, `${s.chapter}: scenario ${s.src} has type errors:\n${errs.join('\n')}`).toEqual([]);
  });

  it('runs on every supported version without crashing the engine', () => {
    for (const v of versions()) {
      const r = runScenarioSource(readScenario(s.src), { version: v });
      // A KernelError or a scenario-level error is fine; an engine bug (TypeError...) is not.
      if (r.error) expect(r.error.name, `${s.src} on ${v}: ${r.error.name}: ${r.error.message}`).toMatch(/KernelError|Error/);
      expect(() => runView(r)).not.toThrow();
    }
  });

  const exps = playgroundExpectations(readScenario(s.src), s.expect, `content/${s.src}.ts`);
  it.each(exps.map((e) => ({ ...e, label: `${e.version}: ${e.text}` })))('holds: $label', (e) => {
    const r = runScenarioSource(readScenario(s.src), { version: e.version });
    const view = runView(r);
    for (const claim of e.claims) {
      const c = checkClaim(claim, r);
      const pictures = view.final.pictures.join('\n');
      expect(c.ok, [
        `${s.chapter} (line ${s.line}), scenario content/${s.src}.ts, Linux ${e.version}:`,
        `  the chapter says: ${c.text}`,
        `  the engine gives: ${c.actual}`,
        `  address space in view:\n${pictures.split('\n').map((l) => '    ' + l).join('\n')}`,
        r.error ? `  the scenario stopped: ${r.error.name}: ${r.error.message}` : '',
        `  Fix the expectation (the scenario's // @expect line, and the chapter's prose), or the scenario, or the engine.`,
      ].filter(Boolean).join('\n')).toBe(true);
    }
  });
});

describe('a wrong expectation is caught', () => {
  it('reports what the engine gives instead', () => {
    const r = runScenarioSource(readScenario('regression/anon-merge'), { version: '6.16' });
    const [claim] = parseExpectations('6.16: 1 VMA')[0].claims;
    expect(checkClaim(claim, r)).toMatchObject({ ok: false, text: '1 VMA', actual: '3 VMAs' });
  });
});
