// Chapter doctests support: find the <Playground> scenarios of every chapter and their written
// expectations, type-check scenario files against the engine, and explain failures.
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CONTENT_DIR, scenarioPath } from './scenarios';

export interface ChapterScenario { chapter: string; src: string; expect: string | null; compare: string | null; line: number }

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\b${name}=(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[1] ?? m[2]) : null;
}

/** Every <Playground .../> in content/**\/*.mdx with its attributes and line number. */
export function chapterScenarios(dir = CONTENT_DIR): ChapterScenario[] {
  const out: ChapterScenario[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      if (!name.endsWith('.mdx')) continue;
      const text = readFileSync(p, 'utf8');
      for (const m of text.matchAll(/<Playground\b[\s\S]*?\/>/g)) {
        const src = attr(m[0], 'src');
        if (!src) throw new Error(`${relative(process.cwd(), p)}: a <Playground> without src`);
        out.push({ chapter: relative(process.cwd(), p), src, expect: attr(m[0], 'expect'), compare: attr(m[0], 'compare'), line: text.slice(0, m.index).split('\n').length });
      }
    }
  };
  walk(dir);
  return out;
}

/** Type errors of scenario files against the engine's declarations ("file:line: message"). */
export function typeCheckScenarios(ids: string[]): Map<string, string[]> {
  const files = ids.map(scenarioPath);
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    paths: { mergeable: [resolve(process.cwd(), 'src/engine/index.ts')] },
  });
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (!d.file) continue;
    const id = ids[files.indexOf(resolve(d.file.fileName))];
    if (!id) continue;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    out.get(id)!.push(`content/${id}.ts:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  return out;
}
