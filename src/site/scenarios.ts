// Scenario files: content/<chapter>/<name>.ts, addressed as "<chapter>/<name>".
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const CONTENT_DIR = resolve(process.cwd(), 'content');

export function scenarioPath(id: string): string {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(id)) throw new Error(`bad scenario id "${id}": expected "<chapter>/<name>" (lower case, digits, dashes)`);
  return join(CONTENT_DIR, `${id}.ts`);
}

export function readScenario(id: string): string {
  try { return readFileSync(scenarioPath(id), 'utf8'); }
  catch { throw new Error(`scenario "${id}" not found: expected the file content/${id}.ts`); }
}

/** Every scenario id under content/. */
export function listScenarios(dir = CONTENT_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(dir, p).replace(/\.ts$/, '').split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
