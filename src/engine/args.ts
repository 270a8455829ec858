/**
 * Syscall arguments as the engine's API takes them. Every integer argument may be a `number` or a
 * `bigint`, interchangeably: a bigint is used as the number of the same value, so it must be
 * exactly representable as one (every page-aligned user address is). The engine computes with
 * numbers; the trace records the converted number. Anything else is EINVAL before any state changes.
 * @module
 */
import { fail } from "./errno.ts";

/** An integer argument: a number or a bigint of the same value. */
export type Integer = number | bigint;

const what = (x: unknown): string => (typeof x === "number" ? String(x) : typeof x === "bigint" ? `${x}n` : typeof x);

/** The integer value of `x` (a number or a bigint), or EINVAL saying why not. */
export function integer(name: string, syscall: string, x: unknown): number {
  if (typeof x === "bigint") {
    const v = Number(x);
    if (BigInt(v) !== x) fail("EINVAL", syscall, `${name} ${x}n is not exactly representable as a number ` +
      `(|x| > 2^53 and not a multiple of its precision)`);
    return v;
  }
  if (typeof x !== "number" || !Number.isInteger(x)) fail("EINVAL", syscall,
    `${name} must be an integer (number or bigint), got ${what(x)}`);
  return x;
}

/** A C `unsigned long` argument: negative numbers wrap as they do in C. */
export function ulong(name: string, syscall: string, x: unknown): number {
  const v = integer(name, syscall, x);
  if (v < -(2 ** 63) || v >= 2 ** 64) fail("EINVAL", syscall, `${name} ${what(x)} does not fit in 64 bits`);
  return v < 0 ? 2 ** 64 + v : v;
}

/** A C `int` argument (flag words, fds, advice): any integer, used bitwise as the kernel does. */
export const int = integer;

/** How an argument is recorded in the trace: numbers (bigints converted), strings, else its type. */
export function traceArg(x: unknown): number | string {
  if (typeof x === "number" || typeof x === "string") return x;
  if (typeof x === "bigint") return BigInt(Number(x)) === x ? Number(x) : `${x}n`;
  return what(x);
}
