// The run worker, inside the sandbox frame (src/site/sandbox/): one worker per Run. It transpiles
// the reader's TypeScript with sucrase (keeps line numbers), runs it on the engine for each
// requested version, and replies with RunView JSON. Before reader code runs it removes the
// globals that reach the network, storage or other realms, and postMessage itself: only this
// file's closure can reply. The frame's CSP already blocks all of these; this is the second wall.
import * as engine from 'mergeable';
import { scenarioFunction, scenarioLine } from '../../src/site/scenario-eval';
import { C_EXPORT_STEPS, MAPS_LINES_KEPT, runView, STEP_EVENTS_KEPT, type RunView } from '../../src/site/run-view';
import { keepLog } from '../../src/site/log-limit';
import { transpileScenario } from '../../src/site/transpile';
import { checkImports } from '../../src/site/import-check';
import type { SandboxReply, SandboxRequest } from '../../src/site/sandbox/protocol';

const scope = self as unknown as Record<string, unknown> & { postMessage(m: string): void };
// Taken before reader code runs (it may replace JSON.stringify or delete globals).
const post = scope.postMessage.bind(scope);
const stringify = JSON.stringify;
const reply = (r: SandboxReply) => post(stringify(r));

/** Globals reader code must not have: network, storage, other realms, and the reply channel. */
const REMOVED = ['fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'EventSource', 'WebTransport', 'importScripts',
  'indexedDB', 'caches', 'cookieStore', 'BroadcastChannel', 'Worker', 'SharedWorker', 'MessageChannel', 'navigator',
  'postMessage', 'onmessage', 'close', 'Request', 'Response'];

/** Remove REMOVED from the global object and every prototype on its chain (WebIDL puts some on each). */
function neuter(): void {
  for (let o: object | null = scope; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of REMOVED) if (Object.prototype.hasOwnProperty.call(o, name)) try { delete (o as Record<string, unknown>)[name]; } catch { /* not configurable */ }
  }
  for (const name of REMOVED) {
    if (name in scope) try { Object.defineProperty(scope, name, { value: undefined, configurable: false, writable: false }); } catch { /* kept */ }
  }
}

/** Progress every PROGRESS_MS at most, so a big scenario shows how far it got (and a stuck one does not). */
const PROGRESS_MS = 200;

function run({ id, code, versions }: SandboxRequest): void {
  const out = transpileScenario(code);
  if ('problem' in out) { reply({ id, kind: 'compile', ...out.problem }); return; }
  const { js } = out;
  // A name "mergeable" does not export would fail later, far from its import, as a property read of undefined.
  const missing = checkImports(code, Object.keys(engine));
  if (missing) { reply({ id, kind: 'compile', ...missing }); return; }
  neuter();
  const views: Record<string, RunView> = {};
  let syscalls = 0, lastPost = performance.now();
  const onSyscall = (n: number) => {
    const now = performance.now();
    if (now - lastPost < PROGRESS_MS) return;
    lastPost = now;
    reply({ id, kind: 'progress', syscalls: syscalls + n });
  };
  const t0 = performance.now();
  for (const version of versions) {
    const log: string[] = [];
    let thrown: unknown;
    let body: () => void;
    try { body = scenarioFunction(js, engine as unknown as Record<string, unknown>, 'scenario.ts', log); }
    catch (e) { const d = engine.describeThrown(e); reply({ id, kind: 'compile', message: `${d.name}: ${d.message}` }); return; }
    const fn = () => { try { body(); } catch (e) { thrown = e; throw e; } };
    // Events and VMAs of the steps the page keeps, the call and map_count of the rest; no smaps (runView needs
    // none), the first MAPS_LINES_KEPT lines of maps, and past SNAPSHOT_LIMIT VMAs a lookup, not a list
    // (runView reads it below, before anything else can run on the kernel).
    const r = engine.runScenario(fn, { version, log, onSyscall, traceDetail: STEP_EVENTS_KEPT, smaps: false,
      mapsLines: MAPS_LINES_KEPT, vmasListed: engine.SNAPSHOT_LIMIT }) as
      engine.ScenarioResult & { errorLine?: number };
    if (r.error && thrown !== undefined) { const where = scenarioLine(thrown); if (where) r.errorLine = where.line; }
    syscalls += r.kernels.reduce((n, k) => n + k.syscalls, 0);
    r.log = keepLog(r.log);
    const view = runView(r);
    // The C reproducer of this run ("Export as C"): the calls of the process the page shows,
    // for runs the page can carry (the CLI's --format c has no such limit).
    const trace = r.kernels[0]?.trace ?? [];
    if (trace.length <= C_EXPORT_STEPS) {
      view.c = engine.toC(trace, view.pid ?? undefined);
      // "Export as selftest": EINVAL with the reason when the calls do not fit merge.c's fixture.
      try { view.selftest = { c: engine.toSelftest(trace, { pid: view.pid ?? undefined, name: 'mergeable_scenario', version }) }; }
      catch (e) { view.selftest = { error: (e as Error).message }; }
    }
    views[version] = view;
  }
  reply({ id, kind: 'ok', views, engineMs: performance.now() - t0, syscalls });
}

let started = false;
scope.onmessage = (ev: MessageEvent<SandboxRequest>) => {
  // One run per worker: the frame starts a fresh one for the next Run.
  if (started) return;
  started = true;
  try { run(ev.data); }
  catch (e) { const d = engine.describeThrown(e); reply({ id: ev.data.id, kind: 'crash', message: `${d.name}: ${d.message}` }); }
};
