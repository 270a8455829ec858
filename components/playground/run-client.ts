// Runs reader code in the sandbox frame (/sandbox/, see docs/sandbox.md): a hidden
// <iframe sandbox="allow-scripts"> on an opaque origin, whose CSP allows no network, and which
// starts a fresh Web Worker per run. The page arms the time limit when it posts the run, and on
// expiry removes the whole frame (worker and all): nothing the reader's code does can outlast it.
// Every reply is parsed and validated (src/site/run-view-schema.ts) before anything is shown.
import type { RunView } from '../../src/site/run-view';
import { parseReply } from '../../src/site/run-view-schema';
import { HANDSHAKE, type FrameMessage, type PageMessage } from '../../src/site/sandbox/protocol';

/** The time limit of one Run, in milliseconds of wall-clock time. */
export const TIME_LIMIT_MS = 10_000;
/** How long the frame may take to load and start before a Run is given up. */
const FRAME_LOAD_MS = 15_000;

export type RunOutcome =
  | { kind: 'ok'; views: Record<string, RunView>; engineMs: number; syscalls: number }
  | { kind: 'compile'; message: string; line?: number; column?: number }
  | { kind: 'failed'; message: string }
  | { kind: 'timeout'; syscalls: number; growing: boolean; limitMs: number }
  | { kind: 'stopped' };

export interface RunControl {
  /** Called with the syscalls made so far, while the run goes on. */
  onProgress?: (syscalls: number, elapsedMs: number) => void;
  /** Set by runInSandbox: ends the run now (the reader pressed Stop). */
  stop?: () => void;
  limitMs?: number;
}

interface Frame { el: HTMLIFrameElement; port: MessagePort; listeners: Map<number, (m: FrameMessage) => void> }
let frame: Promise<Frame> | null = null;
let seq = 0;

function openFrame(): Promise<Frame> {
  return new Promise((resolve, reject) => {
    const el = document.createElement('iframe');
    // allow-scripts only: an opaque origin (no storage, no cookies, no access to this page).
    el.setAttribute('sandbox', 'allow-scripts');
    el.setAttribute('aria-hidden', 'true');
    el.tabIndex = -1;
    el.title = 'Mergeable run sandbox';
    el.className = 'pg-sandbox';
    el.src = '/sandbox/';
    const channel = new MessageChannel();
    const listeners = new Map<number, (m: FrameMessage) => void>();
    const timer = setTimeout(() => { el.remove(); reject(new Error('the run sandbox did not start')); }, FRAME_LOAD_MS);
    channel.port1.onmessage = (ev: MessageEvent<FrameMessage>) => {
      const m = ev.data;
      if (m.kind === 'ready') { clearTimeout(timer); resolve({ el, port: channel.port1, listeners }); return; }
      listeners.get(m.id)?.(m);
    };
    el.addEventListener('load', () => el.contentWindow?.postMessage(HANDSHAKE, '*', [channel.port2]), { once: true });
    document.body.append(el);
  });
}

/** Drop the frame: its worker stops with it, and the next Run loads a new one. */
function discardFrame(f: Frame): void {
  f.el.remove();
  f.port.close();
  for (const l of f.listeners.values()) l({ id: -1, kind: 'failed', message: 'discarded' });
  if (frame) frame.then((cur) => { if (cur === f) frame = null; }, () => undefined);
}

export async function runInSandbox(code: string, versions: string[], ctl: RunControl = {}): Promise<RunOutcome> {
  let f: Frame;
  try {
    f = await (frame ??= openFrame().catch((e) => { frame = null; throw e; }));
  } catch (e) {
    return { kind: 'failed', message: `${(e as Error).message}. Reload the page and press Run again.` };
  }
  const id = ++seq;
  const limitMs = ctl.limitMs ?? TIME_LIMIT_MS;
  const t0 = performance.now();
  return new Promise<RunOutcome>((resolve) => {
    let syscalls = 0, lastGrowth = t0;
    const finish = (o: RunOutcome, kill: 'worker' | 'frame') => {
      clearTimeout(timer);
      f.listeners.delete(id);
      ctl.stop = undefined;
      if (kill === 'frame') discardFrame(f);
      else f.port.postMessage({ kind: 'stop', id } satisfies PageMessage);
      resolve(o);
    };
    // Armed now, by the page: a worker that never answers is ended all the same.
    const timer = setTimeout(() => {
      const growing = performance.now() - lastGrowth < 1000 && syscalls > 0;
      finish({ kind: 'timeout', syscalls, growing, limitMs }, 'frame');
    }, limitMs);
    ctl.stop = () => finish({ kind: 'stopped' }, 'frame');
    f.listeners.set(id, (m) => {
      if (m.kind === 'failed') return finish({ kind: 'failed', message: m.message === 'discarded' ? 'the run sandbox was closed' : m.message }, 'frame');
      if (m.kind !== 'reply') return;
      let r;
      try { r = parseReply(m.text, id, versions); }
      catch (e) { return finish({ kind: 'failed', message: `the run sent back something that is not a valid result (${(e as Error).message})` }, 'frame'); }
      if (r.kind === 'progress') {
        if (r.syscalls > syscalls) { syscalls = r.syscalls; lastGrowth = performance.now(); }
        ctl.onProgress?.(syscalls, performance.now() - t0);
        return;
      }
      if (r.kind === 'ok') return finish({ kind: 'ok', views: r.views, engineMs: r.engineMs, syscalls: r.syscalls }, 'worker');
      if (r.kind === 'compile') return finish({ kind: 'compile', message: r.message, line: r.line, column: r.column }, 'worker');
      finish({ kind: 'failed', message: r.message }, 'worker');
    });
    f.port.postMessage({ kind: 'run', id, code, versions } satisfies PageMessage);
  });
}
