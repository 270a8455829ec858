// API reference data from the engine's TSDoc: every export of src/engine/index.ts with its
// signature, documentation and tags (rendered by src/pages/api.astro).
import ts from 'typescript';
import { resolve, relative } from 'node:path';
import { ENGINE_DIR } from './engine-dts';

export interface ApiMember { name: string; signature: string; doc: string }
export interface ApiEntry {
  name: string; kind: 'function' | 'class' | 'interface' | 'type' | 'const' | 'enum' | 'namespace';
  signature: string; doc: string; tags: { name: string; text: string }[]; file: string;
  members: ApiMember[];
}

const printer = ts.createPrinter({ removeComments: true });

function kindOf(d: ts.Declaration): ApiEntry['kind'] {
  if (ts.isFunctionDeclaration(d)) return 'function';
  if (ts.isClassDeclaration(d)) return 'class';
  if (ts.isInterfaceDeclaration(d)) return 'interface';
  if (ts.isTypeAliasDeclaration(d)) return 'type';
  if (ts.isEnumDeclaration(d)) return 'enum';
  if (ts.isModuleDeclaration(d)) return 'namespace';
  return 'const';
}

function docOf(sym: ts.Symbol, checker: ts.TypeChecker): string {
  return ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();
}

export function apiReference(entry = resolve(ENGINE_DIR, 'index.ts')): ApiEntry[] {
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(entry);
  if (!sf) throw new Error(`engine entry not found: ${entry}`);
  const mod = checker.getSymbolAtLocation(sf);
  if (!mod) return [];
  const out: ApiEntry[] = [];
  for (const exp of checker.getExportsOfModule(mod)) {
    const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    const decl = sym.declarations?.[0];
    if (!decl) continue;
    const kind = kindOf(decl);
    let signature: string;
    const members: ApiMember[] = [];
    if (kind === 'function') {
      const t = checker.getTypeOfSymbolAtLocation(sym, decl);
      signature = t.getCallSignatures().map((s) => `function ${exp.name}${checker.signatureToString(s, undefined, ts.TypeFormatFlags.NoTruncation)}`).join('\n');
    } else if (kind === 'const') {
      const t = checker.getTypeOfSymbolAtLocation(sym, decl);
      const init = ts.isVariableDeclaration(decl) && decl.initializer && ts.isLiteralExpression(decl.initializer) ? ` = ${decl.initializer.getText()}` : '';
      signature = `const ${exp.name}: ${checker.typeToString(t, undefined, ts.TypeFormatFlags.NoTruncation)}${init}`;
    } else if (kind === 'class' || kind === 'interface') {
      const t = checker.getDeclaredTypeOfSymbol(sym);
      signature = `${kind} ${exp.name}`;
      for (const p of checker.getPropertiesOfType(t)) {
        const pd = p.valueDeclaration ?? p.declarations?.[0];
        if (!pd) continue;
        const mods = ts.canHaveModifiers(pd) ? ts.getModifiers(pd) ?? [] : [];
        if (mods.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword) || p.name.startsWith('#') || p.name.startsWith('_')) continue;
        const pt = checker.getTypeOfSymbolAtLocation(p, pd);
        const sigs = pt.getCallSignatures();
        const sig = (ts.isMethodDeclaration(pd) || ts.isMethodSignature(pd)) && sigs.length
          ? sigs.map((s) => `${p.name}${checker.signatureToString(s, undefined, ts.TypeFormatFlags.NoTruncation)}`).join('\n')
          : `${p.name}: ${checker.typeToString(pt, undefined, ts.TypeFormatFlags.NoTruncation)}`;
        members.push({ name: p.name, signature: sig, doc: docOf(p, checker) });
      }
    } else {
      signature = printer.printNode(ts.EmitHint.Unspecified, decl, decl.getSourceFile()).replace(/^export\s+/, '').replace(/^declare\s+/, '');
    }
    out.push({
      name: exp.name, kind, signature, doc: docOf(sym, checker) || docOf(exp, checker),
      tags: sym.getJsDocTags(checker).map((t) => ({ name: t.name, text: ts.displayPartsToString(t.text) })),
      file: relative(process.cwd(), decl.getSourceFile().fileName), members,
    });
  }
  const order = ['function', 'class', 'interface', 'type', 'const', 'enum', 'namespace'];
  return out.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.name.localeCompare(b.name));
}
