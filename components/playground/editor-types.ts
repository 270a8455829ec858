// What the controller needs from an editor (Monaco on desktop, a textarea on phones).
export interface EditorHandle {
  focus(): void;
  setValue(code: string): void;
  /** Mark a line (and column, 1-based, when known) with an error message. */
  markError(line: number, message: string, column?: number): void;
  clearError(): void;
  /** Errors found before running: syntax and type errors (Monaco's TypeScript worker); absent in the plain editor. */
  check?(): Promise<CodeProblem[]>;
}
/** One diagnostic, 1-based line and column. */
export interface CodeProblem { line: number; column: number; message: string; syntax: boolean }
export interface EditorOptions { code: string; id: string; onChange(code: string): void; onRun(): void }
