// Evaluate a scenario that was transpiled to CommonJS (TypeScript or sucrase output) with the
// engine module injected as `require("mergeable")`. Shared by the build, vitest and the run worker.
export type EngineModule = Record<string, unknown>;

/** Lines the Function constructor adds before the body: "function anonymous(require,exports,module,console\n) {\n". */
let bodyLineOffset: number | undefined;
function lineOffset(): number {
  if (bodyLineOffset !== undefined) return bodyLineOffset;
  try {
    new Function('throw new Error("probe")\n//# sourceURL=mergeable-probe.js')();
  } catch (e) {
    const m = /mergeable-probe\.js:(\d+):\d+/.exec(String((e as Error).stack));
    bodyLineOffset = m ? Number(m[1]) - 1 : 2;
  }
  return bodyLineOffset ?? 2;
}

/** Where in the scenario source an error was raised (1-based), from its stack, if known. */
export function scenarioLine(err: unknown, sourceName = 'scenario.ts'): { line: number; column: number } | null {
  const stack = String((err as Error)?.stack ?? '');
  const re = new RegExp(`${sourceName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`);
  const m = re.exec(stack);
  if (!m) return null;
  return { line: Number(m[1]) - lineOffset(), column: Number(m[2]) };
}

/** console.log arguments as a line, the way a terminal would show them. */
export function formatLog(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : typeof a === 'bigint' ? `${a}n` : (() => { try { return JSON.stringify(a) ?? String(a); } catch { return String(a); } })())).join(' ');
}

/**
 * Turn CommonJS scenario code into a function; `require` only knows "mergeable", and `console`
 * writes into `log` (the engine's runScenario() returns that array as the result's log).
 */
export function scenarioFunction(js: string, engine: EngineModule, sourceName = 'scenario.ts', log: string[] = []): () => void {
  const body = `${js}\n//# sourceURL=${sourceName}`;
  const fn = new Function('require', 'exports', 'module', 'console', body) as (r: (id: string) => unknown, e: object, m: object, c: object) => void;
  const push = (...a: unknown[]) => { log.push(formatLog(a)); };
  const con = { log: push, info: push, warn: push, error: push, debug: push };
  const req = (id: string) => {
    if (id === 'mergeable') return engine;
    throw new Error(`Cannot import "${id}": scenarios can only import from "mergeable".`);
  };
  return () => {
    const exports = {};
    fn(req, exports, { exports }, con);
  };
}
