// Runs reader code in a dedicated Web Worker; the page terminates it at the time limit, so an
// infinite loop is stopped and reported and the page never freezes.
import type { RunView } from '../../src/site/run-view';
import type { WorkerReply } from './run-worker';

export const TIME_LIMIT_MS = 2000;
export type RunOutcome =
  | { kind: 'ok'; views: Record<string, RunView> }
  | { kind: 'error'; message: string; line?: number }
  | { kind: 'timeout' };

let worker: Worker | null = null;
let seq = 0;
const spawn = () => new Worker(new URL('./run-worker.ts', import.meta.url), { type: 'module', name: 'mergeable-run' });

export function runInWorker(code: string, versions: string[], limitMs = TIME_LIMIT_MS): Promise<RunOutcome> {
  worker ??= spawn();
  const w = worker;
  const id = ++seq;
  return new Promise((resolve) => {
    // The limit covers the engine runs only; the first run also waits for the worker to load.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => { timer = setTimeout(() => { w.terminate(); if (worker === w) worker = null; cleanup(); resolve({ kind: 'timeout' }); }, limitMs); };
    const onMsg = (ev: MessageEvent<WorkerReply>) => {
      const r = ev.data;
      if (r.id !== id) return;
      if (r.kind === 'started') { arm(); return; }
      clearTimeout(timer); cleanup();
      resolve(r.kind === 'ok' ? { kind: 'ok', views: r.views } : { kind: 'error', message: r.message, line: r.line });
    };
    const onErr = (ev: ErrorEvent) => { clearTimeout(timer); cleanup(); w.terminate(); if (worker === w) worker = null; resolve({ kind: 'error', message: `The run worker failed: ${ev.message || 'could not load'}` }); };
    const cleanup = () => { w.removeEventListener('message', onMsg); w.removeEventListener('error', onErr); };
    w.addEventListener('message', onMsg);
    w.addEventListener('error', onErr);
    w.postMessage({ id, code, versions });
  });
}
