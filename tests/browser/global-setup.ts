// Browser tests: build dist/ once if stale, serve it on a free port, hand the URL to the tests.
import type { TestProject } from 'vitest/node';
import { buildSite, DIST } from './build-site';
import { serveDir } from './static-server';

declare module 'vitest' {
  export interface ProvidedContext { baseUrl: string }
}

export default async function setup(project: TestProject) {
  buildSite();
  const { server, url } = await serveDir(DIST);
  project.provide('baseUrl', url);
  return () => new Promise<void>((r) => server.close(() => r()));
}
