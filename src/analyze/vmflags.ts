/**
 * smaps VmFlags mnemonics back to vm_flags bits, with the engine's own table (mnemonics.ts,
 * show_smap_vma_flags()) read in reverse, so the merge predicates get the same bits the kernel had
 * (up to what smaps prints: pkey bits print as a ProtectionKey: line, not as mnemonics).
 * @module
 */
import { mnemonic } from "../engine/mnemonics.ts";
import type { VersionProfile } from "../engine/version.ts";

export interface DecodedFlags {
  flags: bigint;
  /** Mnemonics this kernel profile does not name (arm64 "bt", nommu "ov", "??"). */
  unknown: string[];
}

const tables = new WeakMap<VersionProfile, Map<string, bigint>>();

function table(v: VersionProfile): Map<string, bigint> {
  let t = tables.get(v);
  if (t) return t;
  t = new Map();
  for (let bit = 0; bit < 64; bit++) {
    const m = mnemonic(bit, v);
    if (m && m !== "??" && !t.has(m)) t.set(m, 1n << BigInt(bit));
  }
  tables.set(v, t);
  return t;
}

/** A decoder with a cache: a process has few distinct VmFlags lines, even with 60,000 VMAs. */
export function flagDecoder(v: VersionProfile): (vmflags: string) => DecodedFlags {
  const t = table(v);
  const cache = new Map<string, DecodedFlags>();
  return (s) => {
    let d = cache.get(s);
    if (d) return d;
    let flags = 0n;
    const unknown: string[] = [];
    for (const m of s.split(" ")) {
      if (!m) continue;
      const b = t.get(m);
      if (b === undefined) unknown.push(m);
      else flags |= b;
    }
    d = { flags, unknown };
    cache.set(s, d);
    return d;
  };
}
