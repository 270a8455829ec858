// Dedicated worker: transpile the reader's TypeScript with sucrase (keeps line numbers), run it on
// the engine for each requested version, reply with plain RunView JSON.
import { transform } from 'sucrase';
import * as engine from 'mergeable';
import { scenarioFunction, scenarioLine } from '../../src/site/scenario-eval';
import { runView, type RunView } from '../../src/site/run-view';

export type WorkerRequest = { id: number; code: string; versions: string[] };
export type WorkerReply =
  | { id: number; kind: 'started' }
  | { id: number; kind: 'ok'; views: Record<string, RunView> }
  | { id: number; kind: 'error'; message: string; line?: number };

const post = (r: WorkerReply) => (self as unknown as Worker).postMessage(r);

self.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const { id, code, versions } = ev.data;
  post({ id, kind: 'started' });
  let js: string;
  try {
    js = transform(code, { transforms: ['typescript', 'imports'], filePath: 'scenario.ts' }).code;
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    const m = /\((\d+):(\d+)\)/.exec(err.message);
    const line = err.loc?.line ?? (m ? Number(m[1]) : undefined);
    const what = err.message.replace(/^Error transforming \S+: /, '').replace(/\s*\(\d+:\d+\)$/, '');
    post({ id, kind: 'error', message: what, line });
    return;
  }
  const views: Record<string, RunView> = {};
  for (const version of versions) {
    let thrown: unknown;
    let body: () => void;
    const log: string[] = [];
    try { body = scenarioFunction(js, engine as unknown as Record<string, unknown>, 'scenario.ts', log); }
    catch (e) { post({ id, kind: 'error', message: `${(e as Error).name}: ${(e as Error).message}` }); return; }
    const fn = () => { try { body(); } catch (e) { thrown = e; throw e; } };
    const r = engine.runScenario(fn, { version, log }) as engine.ScenarioResult & { errorLine?: number };
    if (r.error && thrown) { const where = scenarioLine(thrown); if (where) r.errorLine = where.line; }
    const view = runView(r);
    // The C reproducer of this run ("Export as C"): the calls of the process the page shows.
    view.c = engine.toC(r.kernels[0]?.trace ?? [], view.pid ?? undefined);
    views[version] = view;
  }
  post({ id, kind: 'ok', views });
};
