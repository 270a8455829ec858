// Integers with thousands separators, as toLocaleString('en-US') prints them (65,530), without Intl:
// a page's first toLocaleString() loads ICU's locale data, 30-100 ms of a main-thread task.

export function grouped(n: number): string {
  if (!Number.isInteger(n)) return n.toLocaleString('en-US');
  const s = String(Math.abs(n));
  let out = '';
  for (let i = s.length; i > 0; i -= 3) out = s.slice(Math.max(0, i - 3), i) + (out ? `,${out}` : '');
  return n < 0 ? `-${out}` : out;
}

/** "3 VMAs", "1 step", "65,530 syscalls". */
export const plural = (n: number, one: string) => `${grouped(n)} ${one}${n === 1 ? '' : 's'}`;
/** "12,345 of 65,512" for 0-based step `i` of `n`, as the stepper and the step headings write it. */
export const stepOf = (i: number, n: number) => `${grouped(i + 1)} of ${grouped(n)}`;
