// Check an exercise goal (the chapters' expect grammar) against RunViews, which is what the run
// worker returns in the page; the judging itself is src/site/expect.ts judgeClaim(), shared with
// the chapters' checkClaim(). tests/exercises asserts the two agree on every exercise.
import { parseExpectations, describeClaim, judgeClaim, type Claim, type ClaimCheck } from '../../src/site/expect';
import { vmasIn } from '../../src/site/region';
import type { RunView } from '../../src/site/run-view';

export function checkClaimView(c: Claim, v: RunView): ClaimCheck {
  const errnos = v.steps.filter((s) => s.errno).map((s) => s.errno!);
  if (v.error?.errno) errnos.push(v.error.errno);
  return judgeClaim(c, {
    region: v.windows.flatMap((w) => vmasIn(v.final.vmas, w)),
    mapCount: v.pid === null ? -1 : v.final.mapCount,
    errnos,
    error: v.error,
    log: v.log,
    calls: v.steps.map((s) => s.syscall),
  });
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
