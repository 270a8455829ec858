/**
 * smaps `VmFlags:` mnemonics (fs/proc/task_mmu.c show_smap_vma_flags()), per version.
 * @module
 */
import type { VersionProfile } from "./version.ts";
import type { VmFlags } from "./flags.ts";

/** Bit → mnemonic on x86-64; "" = never printed (pkey bits print a ProtectionKey: line instead). */
const BASE: Record<number, string> = {
  0: "rd", 1: "wr", 2: "ex", 3: "sh", 4: "mr", 5: "mw", 6: "me", 7: "ms", 8: "gd", 9: "um",
  10: "pf", 12: "uw", 13: "lo", 14: "io", 15: "sr", 16: "rr", 17: "dc", 18: "de", 20: "ac",
  21: "nr", 22: "ht", 23: "sf", 24: "ar", 25: "wf", 26: "dd", 27: "sd", 28: "mm", 29: "hg",
  30: "nh", 31: "mg", 32: "", 33: "", 34: "", 35: "",
};

/** The mnemonic of one bit in kernel `v`, or "??" for a bit the table does not name. */
export function mnemonic(bit: number, v: VersionProfile): string {
  if (bit === 11) return v.smapsGu ? "gu" : "??";
  if (bit === 19) return v.smapsLf ? "lf" : "??";
  if (bit === 37) return v.smapsSs ? "ss" : "ui";
  if (bit === 40) return v.droppable ? "dp" : "??";
  if (bit === 63) return v.smapsSl ? "sl" : "??";
  const m = BASE[bit];
  return m === undefined ? "??" : m;
}

/** vmFlagsString() answers per profile: a process has few distinct vm_flags, and 64 BigInt tests cost. */
const memo = new WeakMap<VersionProfile, Map<VmFlags, string>>();

/** The VmFlags line content: mnemonics of set bits in ascending bit order. */
export function vmFlagsString(flags: VmFlags, v: VersionProfile): string {
  let byFlags = memo.get(v);
  if (!byFlags) memo.set(v, (byFlags = new Map()));
  let s = byFlags.get(flags);
  if (s !== undefined) return s;
  const out: string[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if (flags & (1n << BigInt(bit))) {
      const m = mnemonic(bit, v);
      if (m !== "") out.push(m);
    }
  }
  s = out.join(" ");
  if (byFlags.size < 4096) byFlags.set(flags, s);
  return s;
}
