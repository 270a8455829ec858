// Build-time and test-time scenario runner: TypeScript → CommonJS with typescript.transpileModule,
// then engine.runScenario(fn, {version}). The page uses the same evaluation in a Web Worker.
import ts from 'typescript';
import * as engine from 'mergeable';
import type { ScenarioResult } from 'mergeable';
import { scenarioFunction, scenarioLine } from './scenario-eval';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Original line (1-based) of each generated line, from a source map's VLQ mappings. */
export function lineMap(mappings: string): number[] {
  const out: number[] = [];
  let srcLine = 0;
  for (const line of mappings.split(';')) {
    let first: number | undefined;
    for (const seg of line.split(',').filter(Boolean)) {
      const vals: number[] = [];
      let shift = 0, value = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else { vals.push(value & 1 ? -(value >>> 1) : value >>> 1); shift = 0; value = 0; }
      }
      if (vals.length >= 3) { srcLine += vals[2]; first ??= srcLine; }
    }
    out.push(first !== undefined ? first + 1 : 0);
  }
  return out;
}

const lineMaps = new Map<string, number[]>();
/** The build runs each scenario on every version: transpile its source once (by file name and text). */
const transpiled = new Map<string, string>();

export function transpileScenario(source: string, fileName = 'scenario.ts'): string {
  const key = `${fileName}\0${source}`;
  const hit = transpiled.get(key);
  if (hit !== undefined) return hit;
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: false, sourceMap: true },
  });
  // TypeScript adds a prologue and drops blank lines: keep the map from JS lines back to the source.
  const js = out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '');
  if (out.sourceMapText) lineMaps.set(js, lineMap(JSON.parse(out.sourceMapText).mappings));
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    const d = errors[0];
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
    throw new SyntaxError(`${fileName}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  transpiled.set(key, js);
  return js;
}

/** engine.runScenario()'s options (its log is this runner's), and the file name errors are reported in. */
export interface RunOptions extends Omit<engine.RunOptions, 'log'> { fileName?: string }

/** Run scenario source on one kernel version; errors inside the scenario land in result.error. */
export function runScenarioSource(source: string, opts: RunOptions): ScenarioResult & { errorLine?: number } {
  const js = transpileScenario(source, opts.fileName);
  return runScenarioJs(js, opts);
}

export function runScenarioJs(js: string, opts: RunOptions): ScenarioResult & { errorLine?: number } {
  let thrown: unknown;
  const log: string[] = [];
  const body = scenarioFunction(js, engine as unknown as Record<string, unknown>, opts.fileName ?? 'scenario.ts', log);
  const fn = () => {
    try { body(); } catch (e) { thrown = e; throw e; }
  };
  const result = engine.runScenario(fn, { ...opts, log }) as ScenarioResult & { errorLine?: number };
  if (result.error && thrown) {
    const where = scenarioLine(thrown, opts.fileName ?? 'scenario.ts');
    const map = lineMaps.get(js);
    if (where) result.errorLine = map ? map[where.line - 1] || undefined : where.line;
  }
  return result;
}
