// Chapter doctests support: find the <Playground> scenarios of every chapter (in the MDX syntax
// tree) and their written expectations, and type-check scenario files against the engine.
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { CONTENT_DIR, scenarioPath } from './scenarios';
import { jsxAttr, parseMdx, walk } from './mdx-tree';

export interface ChapterScenario {
  chapter: string; src: string; expect: string | null; compare: string | null; version: string | null;
  line: number; heading: string;
}

/** Every <Playground .../> in content/**\/*.mdx with its attributes, line number and section. */
export function chapterScenarios(dir = CONTENT_DIR): ChapterScenario[] {
  const out: ChapterScenario[] = [];
  for (const p of chapterFiles(dir)) {
    const chapter = relative(process.cwd(), p);
    for (const { node, heading } of walk(parseMdx(readFileSync(p, 'utf8')))) {
      if ((node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') || node.name !== 'Playground') continue;
      const line = node.position?.start.line ?? 0;
      const el = node as MdxJsxFlowElement, where = `${chapter}:${line}`;
      const src = jsxAttr(el, 'src', where);
      if (!src) throw new Error(`${where}: a <Playground> without src`);
      out.push({ chapter, src, expect: jsxAttr(el, 'expect', where), compare: jsxAttr(el, 'compare', where),
        version: jsxAttr(el, 'version', where), line, heading });
    }
  }
  return out;
}

/** The chapter files content/**\/*.mdx, sorted. */
export function chapterFiles(dir = CONTENT_DIR): string[] {
  const out: string[] = [];
  const go = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) go(p);
      else if (name.endsWith('.mdx')) out.push(p);
    }
  };
  go(dir);
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
