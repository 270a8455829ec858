// Build the site (astro build + pagefind) unless the build is newer than every source it uses.
// Tests build into their own directory (tests/.tmp/site, or $MERGEABLE_SITE_DIR), so that a
// `npm run build` into dist/ running at the same time cannot pull files from under them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newest } from '../../src/cli/bundle.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST = process.env.MERGEABLE_SITE_DIR ? resolve(process.env.MERGEABLE_SITE_DIR) : join(ROOT, 'tests/.tmp/site');
const INPUTS = ['src', 'components', 'content', 'public', 'astro.config.mjs', 'package.json', 'tsconfig.json'];


export function siteIsStale(): boolean {
  const stamp = join(DIST, 'pagefind', 'pagefind.js');
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return INPUTS.some((i) => newest(join(ROOT, i)) > built);
}

const LOCK = `${DIST}.lock`;
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One build at a time into DIST (several test runs may start together): a lock directory. */
function withLock<T>(fn: () => T): T {
  mkdirSync(join(DIST, '..'), { recursive: true });
  for (let waited = 0; ; waited += 2000) {
    try { mkdirSync(LOCK); break; } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 20 * 60_000) rmSync(LOCK, { recursive: true, force: true });
      if (waited === 0) console.log(`[site] waiting for another build of ${DIST}…`);
      sleep(2000);
    }
  }
  try { return fn(); } finally { rmSync(LOCK, { recursive: true, force: true }); }
}

/** Returns the build time in ms, or null when the build was fresh. */
export function buildSite(force = false): number | null {
  return withLock(() => {
    if (!force && !siteIsStale()) return null;
    const t0 = performance.now();
    execFileSync('npx', ['astro', 'build', '--outDir', DIST], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
    execFileSync('npx', ['pagefind', '--site', DIST], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    return performance.now() - t0;
  });
}
