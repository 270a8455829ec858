// Dedicated Worker of the analyser page: parses and analyses the smaps (src/analyze/), reports
// progress, keeps the Analysis and answers the page's requests for pages of pairs and zoomed
// windows, so the page never holds or walks 60,000 VMAs. Also builds the example from the engine.
import { analyzeSmaps, formatReport, SmapsInputError } from '../../src/analyze/index';
import { KernelError } from 'mergeable';
import { Session, type GroupView, type Summary, type WindowView } from './view';
import { exampleProcess, type Example } from './example';

export type Request =
  | { id: number; kind: 'analyze'; text?: string; file?: File; kernel: string; maxMapCount: number; ksmStat?: string; source: string; windowSize: number; pageSize: number; width: number }
  | { id: number; kind: 'example' }
  | { id: number; kind: 'pairs'; from: number; count: number; suspectsOnly: boolean }
  | { id: number; kind: 'window'; first: number; size: number; width: number };

export interface InputProblem { name: string; code?: string; problem?: string; line?: number | null; hint?: string; file?: string; message: string }
export interface Timings { readMs: number; analyseMs: number; viewMs: number; chars: number }

export type Reply =
  | { id: number; kind: 'progress'; phase: 'read' | 'parse' | 'analyse'; done: number; total: number }
  | { id: number; kind: 'result'; summary: Summary; pairs: { groups: GroupView[]; total: number }; window: WindowView | null; report: string; timings: Timings }
  | { id: number; kind: 'example'; example: Example }
  | { id: number; kind: 'pairs'; groups: GroupView[]; total: number; from: number }
  | { id: number; kind: 'window'; window: WindowView }
  | { id: number; kind: 'error'; error: InputProblem };

const post = (r: Reply) => (self as unknown as Worker).postMessage(r);
let session: Session | null = null;

self.onmessage = async (ev: MessageEvent<Request>) => {
  const q = ev.data;
  try {
    if (q.kind === 'analyze') await analyze(q);
    else if (q.kind === 'example') post({ id: q.id, kind: 'example', example: exampleProcess() });
    else if (!session) post({ id: q.id, kind: 'error', error: { name: 'Error', message: 'Nothing has been analysed yet.' } });
    else if (q.kind === 'pairs') post({ id: q.id, kind: 'pairs', from: q.from, ...session.pairs(q.from, q.count, q.suspectsOnly) });
    else if (q.kind === 'window') post({ id: q.id, kind: 'window', window: session.window(q.first, q.size, q.width) });
  } catch (e) {
    post({ id: q.id, kind: 'error', error: problem(e) });
  }
};

async function analyze(q: Extract<Request, { kind: 'analyze' }>): Promise<void> {
  const t0 = performance.now();
  let text = q.text ?? '';
  if (q.file) {
    post({ id: q.id, kind: 'progress', phase: 'read', done: 0, total: q.file.size });
    text = await q.file.text();
  }
  const t1 = performance.now();
  session = null;
  const a = analyzeSmaps(text, { kernel: q.kernel || undefined, kernelSource: q.kernel ? 'chosen on the page' : undefined, maxMapCount: q.maxMapCount, ksmStat: q.ksmStat, source: q.source },
    (p) => post({ id: q.id, kind: 'progress', ...p }));
  const t2 = performance.now();
  session = new Session(a);
  const summary = session.summary(q.width);
  const pairs = session.pairs(0, q.pageSize);
  const window = session.firstWindow(q.windowSize, q.width);
  const report = formatReport(a);
  const t3 = performance.now();
  post({ id: q.id, kind: 'result', summary, pairs, window, report, timings: { readMs: t1 - t0, analyseMs: t2 - t1, viewMs: t3 - t2, chars: text.length } });
}

function problem(e: unknown): InputProblem {
  if (e instanceof SmapsInputError) return e.toJSON();
  if (e instanceof KernelError) return { name: 'KernelError', code: e.errno, message: e.message };
  const err = e as Error;
  return { name: err?.name ?? 'Error', message: String(err?.message ?? e) };
}
