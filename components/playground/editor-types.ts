// What the controller needs from an editor (Monaco on desktop, a textarea on phones).
export interface EditorHandle {
  focus(): void;
  setValue(code: string): void;
  /** Mark a line (and column, 1-based, when known) with an error message. */
  markError(line: number, message: string, column?: number): void;
  clearError(): void;
}
export interface EditorOptions { code: string; id: string; onChange(code: string): void; onRun(): void }
