// The engine's import graph, read with the TypeScript compiler API: no module of src/engine
// reaches itself through its imports (type-only imports count: they tie the files together for
// a reader and for tsc as much as value imports do), and the engine imports only itself, so it
// runs unchanged in the page's worker, in vitest, in the CLI and in the conformance harness.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ENGINE = join(ROOT, "src/engine");

function engineFiles(dir = ENGINE): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? engineFiles(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : []);
}

/** Every module specifier of a file: import/export ... from, import x = require(), import("..."). */
function specifiers(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push(n.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      const e = n.moduleReference.expression;
      if (ts.isStringLiteral(e)) out.push(e.text);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push(n.argument.literal.text);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = n.arguments[0];
      if (a && ts.isStringLiteral(a)) out.push(a.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const rel = (f: string) => relative(ENGINE, f);

/** file -> the engine files it imports; non-engine specifiers are collected apart. */
function importGraph(): { graph: Map<string, string[]>; outside: string[] } {
  const graph = new Map<string, string[]>();
  const outside: string[] = [];
  for (const f of engineFiles()) {
    const deps: string[] = [];
    for (const s of specifiers(f)) {
      const target = s.startsWith(".") ? resolve(dirname(f), s) : null;
      if (target && target.startsWith(ENGINE + "/")) deps.push(target);
      else outside.push(`${rel(f)} imports "${s}"`);
    }
    graph.set(f, deps);
  }
  return { graph, outside };
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const strong = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.map(rel).sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) strong(v);
  return out;
}

/** One shortest import path from `from` back to itself inside the component, for the message. */
function loop(graph: Map<string, string[]>, scc: string[]): string {
  const members = new Set(scc.map((f) => join(ENGINE, f)));
  const start = join(ENGINE, scc[0]!);
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.splice(1, 0, u);
        return [...path, start].map(rel).join(" -> ");
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return scc.join(", ");
}

/** The files `entry` reaches through relative imports, transitively. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    for (const s of specifiers(f)) {
      const t = s.startsWith(".") ? resolve(dirname(f), s) : null;
      if (t && !seen.has(t)) seen.add(t), todo.push(t);
    }
  }
  return seen;
}

describe("engine imports", () => {
  const { graph, outside } = importGraph();

  it("reads every engine file and its relative imports", () => {
    expect(graph.size).toBeGreaterThan(30);
    // kernel.ts boots an Mm: if the parser missed imports, this edge would be missing too.
    expect(graph.get(join(ENGINE, "kernel.ts"))).toContain(join(ENGINE, "mm.ts"));
  });

  it("has no import cycle, type-only imports included", () => {
    const found = cycles(graph).map((scc) => `${scc.length} files: ${loop(graph, scc)}\n  (${scc.join(", ")})`);
    expect(found, `import cycles in src/engine:\n${found.join("\n")}`).toEqual([]);
  });

  it("imports nothing from outside src/engine (no src/site, components, node:*, packages)", () => {
    expect(outside).toEqual([]);
  });

  it("the smaps analyser asks the merge predicates without booting a Kernel", () => {
    const reached = [...reachable(join(ROOT, "src/analyze/index.ts"))].filter((f) => f.startsWith(ENGINE + "/")).map(rel);
    expect(reached).toContain("merge.ts");
    expect(reached.filter((f) => ["kernel.ts", "process.ts", "ksmd/index.ts"].includes(f))).toEqual([]);
  });

  it("type-checks against the ES library alone: no DOM or Node globals", () => {
    const program = ts.createProgram(engineFiles(), {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2022.d.ts"],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${rel(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : "";
      return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
    });
    expect(errors).toEqual([]);
  }, 120_000);
});
