// The one vitest config for the repository: engine, kernel, site and browser tests
// (include: tests/**/*.test.ts). Two projects so that only a run that selects browser tests
// builds and serves the site: vitest runs a project's globalSetup only when it has tests to run.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const engine = fileURLToPath(new URL('./src/engine/index.ts', import.meta.url));
const ALL = 'tests/**/*.test.ts';
const BROWSER = 'tests/browser/**/*.test.ts';
const resolve = { alias: { mergeable: engine } };

export default defineConfig({
  resolve,
  test: {
    include: [ALL],
    projects: [
      { resolve, test: { name: 'node', include: [ALL], exclude: [BROWSER, '**/node_modules/**'], testTimeout: 30_000 } },
      {
        resolve,
        test: {
          name: 'browser',
          include: [BROWSER],
          globalSetup: ['tests/browser/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false, // one Chromium at a time on a 2-core machine
        },
      },
    ],
  },
});
