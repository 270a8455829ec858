// Exercise progress in the browser (localStorage): solved flags and the reader's code.
// Storage may be unavailable (private mode, blocked): then nothing is remembered, nothing fails.
const SOLVED = 'mergeable:exercise:';
const CODE = 'mergeable:exercise-code:';

const get = (k: string) => { try { return localStorage.getItem(k); } catch { return null; } };
const set = (k: string, v: string | null) => { try { v === null ? localStorage.removeItem(k) : localStorage.setItem(k, v); } catch { /* not remembered */ } };

export const isSolved = (id: string) => get(SOLVED + id) === 'solved';
export const markSolved = (id: string) => set(SOLVED + id, 'solved');
export const savedCode = (id: string) => get(CODE + id);
export const saveCode = (id: string, code: string | null) => set(CODE + id, code);
