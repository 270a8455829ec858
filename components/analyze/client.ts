// The analyser's Worker, started on first use. One request at a time per kind of work: a new
// analysis terminates a running one (the reader pasted something else), and a stuck Worker is
// stopped at the time limit so the page never waits forever.
import type { Reply, Request } from './worker';

export const TIME_LIMIT_MS = 60_000;
type Body = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
type Final = Exclude<Reply, { kind: 'progress' }>;

let worker: Worker | null = null;
let seq = 0;
let busy: { id: number; stop: () => void } | null = null;
const spawn = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'mergeable-analyze' });

export function started(): boolean { return worker !== null; }

export function ask(body: Body, onProgress?: (p: Extract<Reply, { kind: 'progress' }>) => void): Promise<Final> {
  if (body.kind === 'analyze' && busy) busy.stop();
  worker ??= spawn();
  const w = worker;
  const id = ++seq;
  return new Promise((resolve) => {
    const done = (r: Final) => { clearTimeout(timer); w.removeEventListener('message', onMsg); w.removeEventListener('error', onErr); if (busy?.id === id) busy = null; resolve(r); };
    const kill = (message: string) => { w.terminate(); if (worker === w) worker = null; done({ id, kind: 'error', error: { name: 'Error', message } }); };
    const timer = setTimeout(() => kill(`The analysis was stopped after ${TIME_LIMIT_MS / 1000} s.`), TIME_LIMIT_MS);
    const onMsg = (ev: MessageEvent<Reply>) => {
      const r = ev.data;
      if (r.id !== id) return;
      if (r.kind === 'progress') { onProgress?.(r); return; }
      done(r);
    };
    const onErr = (ev: ErrorEvent) => kill(`The analyser worker failed: ${ev.message || 'it could not be loaded'}.`);
    w.addEventListener('message', onMsg);
    w.addEventListener('error', onErr);
    if (body.kind === 'analyze') busy = { id, stop: () => kill('Replaced by a newer analysis.') };
    w.postMessage({ ...body, id });
  });
}
