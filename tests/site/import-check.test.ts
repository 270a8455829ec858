// Imports from "mergeable" are checked against the engine's exports before a scenario runs.
import { describe, expect, it } from 'vitest';
import * as engine from 'mergeable';
import { checkImports, closeNames } from '../../src/site/import-check';

const names = Object.keys(engine);

describe('checkImports', () => {
  it('names the missing export, where it is, and close names', () => {
    const code = 'import { boot, PAGE_SIZE, nosuch } from "mergeable";\nboot();\n';
    const p = checkImports(code, names)!;
    expect(p).toMatchObject({ line: 1, column: code.indexOf('nosuch') + 1 });
    expect(p.message).toMatch(/^The module "mergeable" has no export "nosuch"\./);
  });

  it('lists names a typo is close to', () => {
    const p = checkImports("import {\n  boot,\n  PROT_RAED,\n} from 'mergeable';", names)!;
    expect(p.line).toBe(3);
    expect(p.column).toBe(3);
    expect(p.message).toContain('Close names: PROT_READ');
    expect(closeNames('MADV_MERGABLE', names)).toEqual(['MADV_MERGEABLE', 'MADV_UNMERGEABLE']);
  });

  it('accepts what the engine exports, aliases and type-only imports', () => {
    expect(checkImports('import { boot as b, PAGE_SIZE } from "mergeable";\nimport type { VmaView } from "mergeable";', names)).toBeNull();
    expect(checkImports('import * as m from "mergeable";', names)).toBeNull();
    expect(checkImports('import { boot, type Nope } from "mergeable";', names)).toBeNull();
  });

  it('refuses a default import', () => {
    expect(checkImports('import m from "mergeable";', names)?.message).toMatch(/no default export/);
  });
});
