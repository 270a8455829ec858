// The sandbox frame's only script (inlined in /sandbox/ and allowed by its hash). The frame is an
// <iframe sandbox="allow-scripts">: an opaque origin, with a CSP that allows no network, and
// workers only from blob:. It starts one run worker per Run (a spare is kept warm), passes the
// page's requests to it, and relays each reply up to the page as text, without reading it.
import { HANDSHAKE, REPLY_MAX_CHARS, type FrameMessage, type PageMessage } from './protocol';

const b64 = document.getElementById('run-worker')!.textContent!.trim();
const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const url = URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
const workers = new Map<number, Worker>();
let spare: Worker | null = null;
let port: MessagePort | null = null;

const send = (m: FrameMessage) => port!.postMessage(m);
const fresh = () => new Worker(url, { name: 'mergeable-run' });

function stop(id: number): void {
  const w = workers.get(id);
  if (!w) return;
  w.terminate();
  workers.delete(id);
  spare ??= fresh();
}

function fail(id: number, message: string): void {
  if (!workers.has(id)) return;
  stop(id);
  send({ id, kind: 'failed', message });
}

function start(m: Extract<PageMessage, { kind: 'run' }>): void {
  const id = m.id;
  const w = spare ?? fresh();
  spare = null;
  workers.set(id, w);
  w.onmessage = (ev) => {
    const d: unknown = ev.data;
    if (typeof d !== 'string') return fail(id, 'the run worker sent a reply that is not text');
    if (d.length > REPLY_MAX_CHARS) return fail(id, `the run worker's reply is ${Math.round(d.length / 2 ** 20)} MiB, more than the ${REPLY_MAX_CHARS / 2 ** 20} MiB the page accepts`);
    send({ id, kind: 'reply', text: d });
  };
  w.onmessageerror = () => fail(id, 'the run worker sent a reply that could not be received');
  w.onerror = (ev) => { ev.preventDefault(); fail(id, `the run worker failed: ${ev.message || 'it could not start'}`); };
  w.postMessage({ id, code: m.code, versions: m.versions });
}

addEventListener('message', (e) => {
  if (port || e.source !== parent || e.data !== HANDSHAKE || !e.ports[0]) return;
  port = e.ports[0];
  port.onmessage = (ev: MessageEvent<PageMessage>) => {
    const m = ev.data;
    if (m.kind === 'run') start(m);
    else if (m.kind === 'stop') stop(m.id);
  };
  spare = fresh();
  send({ kind: 'ready' });
});
