// Check an exercise goal (the chapters' expect grammar) against RunViews, which is what the run
// worker returns in the page. Mirrors src/site/expect.ts checkClaim() (which needs a full
// ScenarioResult); tests/exercises asserts the two agree on every exercise.
import { parseExpectations, describeClaim, type Claim, type ClaimCheck } from '../../src/site/expect';
import { vmasIn } from '../../src/site/region';
import type { RunView } from '../../src/site/run-view';

export function checkClaimView(c: Claim, v: RunView): ClaimCheck {
  const region = v.windows.flatMap((w) => vmasIn(v.final.vmas, w));
  const text = describeClaim(c);
  const errnos = v.steps.filter((s) => s.errno).map((s) => s.errno!);
  if (v.error?.errno) errnos.push(v.error.errno);
  const plural = (n: number) => `${n} VMA${n === 1 ? '' : 's'}`;
  switch (c.kind) {
    case 'vmas': return { claim: c, text, ok: region.length === c.n, actual: plural(region.length) };
    case 'map_count': { const n = v.pid === null ? -1 : v.final.mapCount; return { claim: c, text, ok: n === c.n, actual: `map_count ${n}` }; }
    case 'errno': return { claim: c, text, ok: errnos.includes(c.name), actual: errnos.length ? errnos.join(', ') : 'no error' };
    case 'no-error': {
      const ok = !v.error && errnos.length === 0;
      return { claim: c, text, ok, actual: ok ? 'no error' : v.error ? `${v.error.name}: ${v.error.message}` : errnos.join(', ') };
    }
    case 'mg': {
      const withMg = region.filter((x) => x.vmflags.split(' ').includes('mg')).length;
      return { claim: c, text, ok: region.length > 0 && (c.all ? withMg === region.length : withMg === 0), actual: `mg on ${withMg} of ${region.length} VMAs` };
    }
    case 'log': return { claim: c, text, ok: v.log.includes(c.text), actual: v.log.length ? v.log.map((l) => `"${l}"`).join(' ') : 'no log output' };
  }
}

export interface GoalResult { ok: boolean; versions: { version: string; checks: ClaimCheck[] }[] }

/** The kernel versions a goal needs runs on. */
export function goalVersions(goal: string): string[] {
  return [...new Set(parseExpectations(goal).map((e) => e.version))];
}

/** Every claim of the goal on its version; a version without a run fails its claims. */
export function checkGoal(goal: string, views: Record<string, RunView>): GoalResult {
  const versions = parseExpectations(goal).map((e) => {
    const v = views[e.version];
    const checks = e.claims.map((c) => (v ? checkClaimView(c, v) : { claim: c, text: describeClaim(c), ok: false, actual: `not run on ${e.version}` }));
    return { version: e.version, checks };
  });
  return { ok: versions.every((x) => x.checks.every((c) => c.ok)), versions };
}
