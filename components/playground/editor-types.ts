// What the controller needs from an editor (Monaco on desktop, a textarea on phones).
export interface EditorHandle {
  focus(): void;
  setValue(code: string): void;
  markError(line: number, message: string): void;
  clearError(): void;
}
export interface EditorOptions { code: string; id: string; onChange(code: string): void; onRun(): void }
