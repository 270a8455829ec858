// Syntax errors name the token, its line:column, and what was expected.
import { describe, expect, it } from 'vitest';
import { transform } from 'sucrase';
import { syntaxProblem } from '../../src/site/syntax-message';

const problem = (code: string) => {
  try { transform(code, { transforms: ['typescript', 'imports'], filePath: 'scenario.ts' }); return null; }
  catch (e) { const err = e as Error & { loc?: { line: number; column: number } }; return syntaxProblem(code, err.message, err.loc); }
};

describe('syntaxProblem', () => {
  it('says what was expected, at the token', () => {
    expect(problem('const p = boot().spawn();\nfoo(1 2);\n')).toEqual({ line: 2, column: 7, message: 'Unexpected "2": expected ","' });
    expect(problem('if (x { }')).toEqual({ line: 1, column: 7, message: 'Unexpected "{": expected ")"' });
  });

  it('points at a missing argument', () => {
    expect(problem('p.mmap("x", 4096, , 1);')).toEqual({ line: 1, column: 19, message: 'Unexpected ",": an argument is missing before it' });
  });

  it('widens a word to its start', () => {
    expect(problem('const const = 3;')).toMatchObject({ line: 1, column: 7, message: 'Unexpected "const"' });
  });
});
