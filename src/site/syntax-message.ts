// A syntax error from sucrase ("Unexpected token, expected \",\" (3:14)") as the reader needs it:
// which token, where it starts (1-based line and column), and what was expected, if sucrase knows.

export interface SyntaxProblem { message: string; line?: number; column?: number }

/**
 * `loc.column` from sucrase is the 0-based offset just past the start of the unexpected token
 * (its 1-based column, for a one-character token); a word token is widened back to its start.
 */
export function syntaxProblem(code: string, raw: string, loc?: { line: number; column: number }): SyntaxProblem {
  const text = raw.replace(/^Error transforming \S+: /, '').replace(/\s*\(\d+:\d+\)$/, '');
  const m = /\((\d+):(\d+)\)\s*$/.exec(raw);
  const line = loc?.line ?? (m ? Number(m[1]) : undefined);
  const col0 = loc?.column ?? (m ? Number(m[2]) : undefined);
  if (!line || col0 === undefined) return { message: text };
  const src = code.split('\n')[line - 1] ?? '';
  let start = Math.max(0, Math.min(col0 - 1, src.length - 1));
  if (/[\w$]/.test(src[start] ?? '')) while (start > 0 && /[\w$]/.test(src[start - 1])) start--;
  let end = start + 1;
  if (/[\w$]/.test(src[start] ?? '')) while (end < src.length && /[\w$]/.test(src[end])) end++;
  const token = src.slice(start, end);
  const expected = /, expected (".*?"|\S+)/.exec(text)?.[1];
  let message = text;
  if (/^Unexpected token/.test(text)) {
    const what = token.trim() ? `"${token}"` : 'end of line';
    message = `Unexpected ${what}${expected ? `: expected ${expected}` : ''}`;
    // Two commas in a row, or a comma right after "(": an argument is missing.
    if (!expected && /^[,)]$/.test(token) && /[,(]\s*$/.test(src.slice(0, start))) message += ': an argument is missing before it';
  }
  return { message, line, column: start + 1 };
}
