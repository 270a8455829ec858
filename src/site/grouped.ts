// Integers with thousands separators, as toLocaleString('en-US') prints them (65,530), without Intl:
// a page's first toLocaleString() loads ICU's locale data, 30-100 ms of a main-thread task.

export function grouped(n: number): string {
  if (!Number.isInteger(n)) return n.toLocaleString('en-US');
  const s = String(Math.abs(n));
  let out = '';
  for (let i = s.length; i > 0; i -= 3) out = s.slice(Math.max(0, i - 3), i) + (out ? `,${out}` : '');
  return n < 0 ? `-${out}` : out;
}
