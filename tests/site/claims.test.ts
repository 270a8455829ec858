// Claims as fixtures: a scenario's expectations live in its file (`// @expect 6.16: 3 VMAs, mg`),
// and every number a chapter's prose states about a scenario's outcome ("6.16: three VMAs",
// "map_count 65") must be backed by one, unless the block is marked {/* prose-only: why */}.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { chapterFiles, chapterScenarios } from '../../src/site/doctest';
import { mergeExpectations, parseExpectations, playgroundExpectations, scenarioExpectations, withoutExpectations } from '../../src/site/expect';
import { proseClaims, uncoveredClaims, type SectionPlayground } from '../../src/site/prose-claims';
import { readScenario } from '../../src/site/scenarios';

describe('// @expect lines in a scenario file', () => {
  const src = 'const a = 1;\n// @expect 6.16: 3 VMAs, mg\n  //@expect 6.17: vmas=1, mg=1; 6.1: EINVAL\nconsole.log(a);\n';

  it('reads one or more versions per line, in the attribute grammar and its key=value spellings', () => {
    const e = scenarioExpectations(src);
    expect(e.map((x) => x.version)).toEqual(['6.16', '6.17', '6.1']);
    expect(e[1].claims).toEqual([{ kind: 'vmas', n: 1 }, { kind: 'mg-count', n: 1 }]);
  });

  it('takes key=value claims separated by spaces, as in "vmas=3 mg=0"', () => {
    expect(scenarioExpectations('// @expect 6.16: vmas=3 mg=0\n')[0].claims).toEqual([{ kind: 'vmas', n: 3 }, { kind: 'mg-count', n: 0 }]);
  });

  it('names the file and line of a bad claim', () => {
    expect(() => scenarioExpectations('x;\n// @expect 6.16: three VMAs\n', 'content/a/b.ts')).toThrow(/content\/a\/b\.ts:2: bad claim "three VMAs"/);
  });

  it('is hidden from the code the reader sees and runs', () => {
    expect(withoutExpectations(src)).toBe('const a = 1;\nconsole.log(a);\n');
  });

  it('merges with a chapter attribute per version', () => {
    const m = mergeExpectations(scenarioExpectations(src), parseExpectations('6.16: map_count 4; 6.18: no error'));
    expect(m.map((x) => [x.version, x.claims.length])).toEqual([['6.16', 3], ['6.17', 2], ['6.1', 1], ['6.18', 1]]);
  });
});

describe('numbers in prose', () => {
  const mdx = [
    '---', 'title: t', '---', 'import Playground from "x";', '',
    '## A section', '',
    'On 6.16 the two mappings stay apart: three VMAs with `mg`, and `map_count` 23.', '',
    '<Playground src="a/b" />', '',
    '```', 'four VMAs in a code block are not prose', '```', '',
    'A general rule about two VMAs. {/* prose-only: a rule, not an outcome */}', '',
    '{/* prose-only: the whole next block */}', '',
    '- five VMAs in a list', '',
    '## No playground here', '', 'Merging keeps two VMAs from piling up.', '', 'But 6.17 gives one VMA.', '',
  ].join('\n');
  const claims = proseClaims(mdx);

  it('are found in paragraphs and list items by the MDX syntax tree, not in code', () => {
    expect(claims.map((c) => [c.what, c.n, c.line, c.proseOnly])).toEqual([
      ['vmas', 3, 8, false], ['map_count', 23, 8, false], ['vmas', 2, 16, true], ['vmas', 5, 20, true],
      ['vmas', 2, 24, false], ['vmas', 1, 26, false],
    ]);
  });

  it('fail when no expectation of their section backs them, and pass when one does', () => {
    const backed: SectionPlayground[] = [{ heading: 'A section', expectations: parseExpectations('6.16: 3 VMAs, map_count 23') }];
    const wrong: SectionPlayground[] = [{ heading: 'A section', expectations: parseExpectations('6.16: 2 VMAs, log "map_count 24"') }];
    // "two VMAs" under a heading without playground and version is a general statement; "6.17 gives one VMA" is not.
    expect(uncoveredClaims(claims, backed).map((c) => c.text)).toEqual(['one VMA']);
    expect(uncoveredClaims(claims, wrong).map((c) => c.text)).toEqual(['three VMAs', 'map_count 23', 'one VMA']);
  });
});

describe('every number a chapter states about a scenario is checked', () => {
  const scenarios = chapterScenarios();
  it.each(chapterFiles().map((f) => relative(process.cwd(), f)))('%s', (chapter) => {
    const pgs: SectionPlayground[] = scenarios.filter((s) => s.chapter === chapter).map((s) => ({
      heading: s.heading, expectations: playgroundExpectations(readScenario(s.src), s.expect, s.src),
    }));
    const bad = uncoveredClaims(proseClaims(readFileSync(chapter, 'utf8')), pgs);
    expect(bad.map((c) => `${chapter}:${c.line} (${c.heading}): "${c.text}"`),
      'back each with a // @expect claim of a scenario in the same section, or mark the block {/* prose-only: why */}').toEqual([]);
  });
});
