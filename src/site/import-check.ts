// Names a scenario imports from "mergeable" that the engine does not export. Checked before the
// code runs (sucrase turns a missing import into a property read that fails much later, far from
// the import line, as "Cannot read properties of undefined").

export interface ImportProblem { message: string; line: number; column: number }

const IMPORT = /import\s+(type\s+)?(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+[A-Za-z_$][\w$]*)?\s*from\s*(['"])mergeable\4/g;

/** Edit distance between two short names (for "close names"). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length];
}

/** Up to `max` exported names close to `name`: few edits apart, or containing it. */
export function closeNames(name: string, names: readonly string[], max = 5): string[] {
  const low = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  return names
    .map((n) => ({ n, d: n.toLowerCase().includes(low) && low.length >= 3 ? 0.5 : distance(name, n) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, max)
    .map((x) => x.n);
}

const at = (code: string, index: number) => {
  const before = code.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
};

/** The first import of a name "mergeable" does not export (type-only imports are not checked: they vanish). */
export function checkImports(code: string, exported: readonly string[]): ImportProblem | null {
  const known = new Set(exported);
  for (const m of code.matchAll(IMPORT)) {
    if (m[1]) continue;
    if (m[2] && !known.has('default')) {
      const p = at(code, m.index! + m[0].indexOf(m[2]));
      return { ...p, message: `The module "mergeable" has no default export: import the names you use, as in import { boot } from "mergeable".` };
    }
    if (!m[3]) continue;
    const braceAt = m.index! + m[0].indexOf('{') + 1;
    let offset = 0;
    for (const part of m[3].split(',')) {
      const spec = part.trim();
      const here = braceAt + offset + part.indexOf(spec);
      offset += part.length + 1;
      if (!spec || /^type\s/.test(spec)) continue;
      const name = spec.split(/\s+as\s+/)[0].trim();
      if (known.has(name)) continue;
      const close = closeNames(name, exported.filter((n) => n !== 'default'));
      const hint = close.length ? ` Close names: ${close.join(', ')}.` : ' The API reference (/api/) lists what it exports.';
      return { ...at(code, here), message: `The module "mergeable" has no export "${name}".${hint}` };
    }
  }
  return null;
}
