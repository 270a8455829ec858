// Scenario TypeScript to CommonJS, as the page's run worker and `mergeable run` both do it:
// sucrase keeps every line where it was (no source map), and loads in ~50 ms where the
// TypeScript compiler takes ~1.5 s. A syntax error comes back in the reader's terms.
import { transform } from 'sucrase';
import { describeThrown } from 'mergeable';
import { syntaxProblem, type SyntaxProblem } from './syntax-message';

export function transpileScenario(code: string, fileName = 'scenario.ts'): { js: string } | { problem: SyntaxProblem } {
  try {
    return { js: transform(code, { transforms: ['typescript', 'imports'], filePath: fileName }).code };
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    return { problem: syntaxProblem(code, describeThrown(err).message, err.loc) };
  }
}
