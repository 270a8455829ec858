// The API reference and the editor's type declarations come from the engine's real sources.
import { describe, expect, it } from 'vitest';
import { apiReference } from '../../src/site/tsdoc';
import { engineDeclarations } from '../../src/site/engine-dts';
import * as engine from 'mergeable';

describe('API reference from TSDoc', () => {
  const api = apiReference();
  it('lists every runtime export of the engine', () => {
    const names = new Set(api.map((a) => a.name));
    const missing = Object.keys(engine).filter((k) => !names.has(k));
    expect(missing).toEqual([]);
  });
  it('carries signatures and documentation', () => {
    const boot = api.find((a) => a.name === 'boot')!;
    expect(boot.kind).toBe('function');
    expect(boot.signature).toMatch(/^function boot\(/);
    expect(boot.doc).toMatch(/\S/);
    const rs = api.find((a) => a.name === 'runScenario')!;
    expect(rs.signature).toContain('ScenarioResult');
  });
});

describe('engine declarations for the editor', () => {
  const files = engineDeclarations();
  it('emits index.d.ts with relative imports the editor can resolve', () => {
    expect(Object.keys(files)).toContain('index.d.ts');
    expect(files['index.d.ts']).toContain('boot');
    for (const [name, text] of Object.entries(files)) {
      expect(text, name).not.toMatch(/from\s+["']\.{1,2}\/[^"']+\.ts["']/);
    }
  });
});
