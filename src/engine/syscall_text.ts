/**
 * strace-like rendering of calls for the step trace: `mmap(NULL, 16384, PROT_READ|PROT_WRITE, ...)`.
 * @module
 */
import { ERRNO_TEXT } from "./errno_text.ts";
import { MADV_NAMES, MAP_FLAG_NAMES, MAP_TYPE, MAP_TYPE_NAMES, MLOCK_ONFAULT, MREMAP_DONTUNMAP, MREMAP_FIXED,
  MREMAP_MAYMOVE, F_ADD_SEALS, F_GET_SEALS, SEAL_NAMES, MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT,
  PROT_NAMES, PR_GET_MEMORY_MERGE, PR_SET_MEMORY_MERGE, PR_SET_VMA } from "./uapi.ts";

const hx = (n: number) => (n < 0 ? "-0x" + (-n).toString(16) : "0x" + n.toString(16));
const ptr = (n: unknown) => (n === 0 ? "NULL" : typeof n === "number" ? hx(n) : given(n));

function bits(v: number, names: ReadonlyArray<[number, string]>): string[] {
  const out: string[] = [];
  let rest = v;
  for (const [b, n] of names) if (v & b) {
    out.push(n);
    rest &= ~b;
  }
  if (rest) out.push(hx(rest));
  return out;
}

export function protText(p: number): string {
  return p === 0 ? "PROT_NONE" : bits(p, PROT_NAMES).join("|");
}

export function mapFlagsText(f: number): string {
  const type = MAP_TYPE_NAMES[f & MAP_TYPE] ?? hx(f & MAP_TYPE);
  return [type, ...bits(f & ~MAP_TYPE, MAP_FLAG_NAMES)].join("|");
}

const MCL_NAMES: ReadonlyArray<[number, string]> = [
  [MCL_CURRENT, "MCL_CURRENT"], [MCL_FUTURE, "MCL_FUTURE"], [MCL_ONFAULT, "MCL_ONFAULT"],
];

const PRCTL: Record<number, string> = { [PR_SET_MEMORY_MERGE]: "PR_SET_MEMORY_MERGE",
  [PR_GET_MEMORY_MERGE]: "PR_GET_MEMORY_MERGE", [PR_SET_VMA]: "PR_SET_VMA" };

/** An argument as the caller gave it: reader code may pass a string, undefined or a bigint where a number belongs. */
function given(x: unknown): string {
  if (typeof x === "number") return String(x);
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "bigint") return `${x}n`;
  return String(x);
}
/** Flag words are named only when they are numbers; anything else is printed as given. */
const prot = (x: unknown) => (typeof x === "number" ? protText(x) : given(x));
const mapFlags = (x: unknown) => (typeof x === "number" ? mapFlagsText(x) : given(x));

/** Render a call's arguments. */
export function callText(syscall: string, args: (number | string)[]): string {
  const a = args;
  const n = given;
  switch (syscall) {
    case "mmap": return `mmap(${ptr(a[0]!)}, ${n(a[1])}, ${prot(a[2])}, ${mapFlags(a[3])}, ${n(a[4])}, ` +
      `${typeof a[5] === "number" ? (a[5] === 0 ? "0" : hx(a[5])) : n(a[5])})`;
    case "munmap": return `munmap(${ptr(a[0]!)}, ${n(a[1])})`;
    case "mprotect": return `mprotect(${ptr(a[0]!)}, ${n(a[1])}, ${prot(a[2])})`;
    case "mseal": return `mseal(${ptr(a[0]!)}, ${n(a[1])}, ${n(a[2])})`;
    case "madvise": return `madvise(${ptr(a[0]!)}, ${n(a[1])}, ${MADV_NAMES[a[2] as number] ?? n(a[2])})`;
    case "mremap": {
      const f = a[3] as number;
      const fl = bits(f, [[MREMAP_MAYMOVE, "MREMAP_MAYMOVE"], [MREMAP_FIXED, "MREMAP_FIXED"],
        [MREMAP_DONTUNMAP, "MREMAP_DONTUNMAP"]]).join("|") || "0";
      return `mremap(${ptr(a[0]!)}, ${n(a[1])}, ${n(a[2])}, ` +
        `${fl}${f & (MREMAP_FIXED | MREMAP_DONTUNMAP) ? `, ${ptr(a[4]!)}` : ""})`;
    }
    case "mlock": case "munlock": return `${syscall}(${ptr(a[0]!)}, ${n(a[1])})`;
    case "mlock2": return `mlock2(${ptr(a[0]!)}, ${n(a[1])}, ${a[2] === MLOCK_ONFAULT ? "MLOCK_ONFAULT" : n(a[2])})`;
    case "mlockall": return `mlockall(${typeof a[0] === "number" ? bits(a[0], MCL_NAMES).join("|") || "0" : n(a[0])})`;
    case "brk": return `brk(${ptr(a[0]!)})`;
    case "prctl": return `prctl(${PRCTL[a[0] as number] ?? n(a[0])}, ${a.slice(1).map(n).join(", ")})`;
    case "open": return `open(${n(a[0])}, ${n(a[1])})`;
    case "fcntl": {
      const cmd = a[1] === F_ADD_SEALS ? "F_ADD_SEALS" : a[1] === F_GET_SEALS ? "F_GET_SEALS" : n(a[1]);
      const arg = a[1] === F_ADD_SEALS && typeof a[2] === "number" ? bits(a[2], SEAL_NAMES).join("|") || "0" : n(a[2]);
      return `fcntl(${n(a[0])}, ${cmd}${a[1] === F_GET_SEALS ? "" : `, ${arg}`})`;
    }
    default: return `${syscall}(${a.map((x) => (typeof x === "number" && x > 0xffff ? hx(x) : n(x))).join(", ")})`;
  }
}

/** Render a result: pointers in hex, errors as strace does. */
export function resultText(syscall: string, ret: number | null, errno: string | null): string {
  if (errno) return `= -1 ${errno} (${ERRNO_TEXT[errno] ?? errno})`;
  if (ret === null) return "";
  if (syscall === "mmap" || syscall === "mremap" || syscall === "brk" || ret > 0xffff) return `= ${hx(ret)}`;
  return `= ${ret}`;
}
