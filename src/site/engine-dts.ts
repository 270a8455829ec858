// The engine's type declarations for the in-page editor, emitted from src/engine at build time.
import ts from 'typescript';
import { dirname, relative, resolve } from 'node:path';

export const ENGINE_DIR = resolve(process.cwd(), 'src/engine');

/** Map of "index.d.ts", "vma.d.ts", ... → declaration text, imports rewritten from ".ts" to ".js". */
export function engineDeclarations(entry = resolve(ENGINE_DIR, 'index.ts')): Record<string, string> {
  const files: Record<string, string> = {};
  const program = ts.createProgram([entry], {
    declaration: true, emitDeclarationOnly: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true, strict: true, skipLibCheck: true,
    stripInternal: true, outDir: '/dts', rootDir: ENGINE_DIR,
  });
  const res = program.emit(undefined, (name, text) => {
    const rel = relative('/dts', name).split('\\').join('/');
    files[rel] = text.replace(/(from\s+|import\()(["'])(\.{1,2}\/[^"']+)\.ts\2/g, '$1$2$3.js$2');
  });
  if (res.emitSkipped) throw new Error('could not emit the engine declarations: ' + res.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; '));
  void dirname;
  return files;
}
