/**
 * The wording of merge decisions: why a predicate of merge.ts said no, and what a merge did.
 * Kept apart so that each decision in merge.ts reads like its line in mm/vma.c; these functions
 * are called only when someone reads the answer (VmaMergeStruct.explain, Tracer.on).
 * @module
 */
import { FLAG_NAMES, hasAny, hex, join32, mergeFlagDiff, VM_MERGEABLE, type VmFlags } from "./flags.ts";
import { mnemonic } from "./mnemonics.ts";
import { hexAddr } from "./trace.ts";
import type { AnonVma, Vma } from "./vma.ts";
import type { VersionProfile } from "./version.ts";
import { Why, type VmaMergeStruct } from "./vma_merge_struct.ts";

const why = (text: string): Why => new Why(text);
const range = (start: number, end: number): string => `[${hexAddr(start)}-${hexAddr(end)})`;
const pgoffHex = (pgoff: number): string => `0x${pgoff.toString(16)}`;

/** Describe differing flag bits: "VM_MERGEABLE (mg): prev has it, the new range does not". */
export function describeFlagDiff(a: VmFlags, b: VmFlags, aName: string, bName: string, v: VersionProfile): string {
  const diff = mergeFlagDiff(a, b);
  const parts: string[] = [];
  for (const [bit, name] of FLAG_NAMES) {
    if (!(diff & bit)) continue;
    const m = mnemonic(bitIndex(bit), v);
    const label = m && m !== "??" ? `${name} (${m})` : name;
    parts.push(`${label}: ${a & bit ? aName : bName} has it, ${a & bit ? bName : aName} does not`);
  }
  if (parts.length === 0) parts.push(`flags ${hex(a)} vs ${hex(b)}`);
  return parts.join("; ");
}

function bitIndex(bit: bigint): number {
  let n = 0;
  while (bit > 1n) {
    bit >>= 1n;
    n++;
  }
  return n;
}

/** How explanations name the range being merged. */
const whatRange = (vmg: VmaMergeStruct): string => (vmg.middle ? "the changed range" : `the new ${vmg.caller} range`);

/** Why the 6.4-6.16 mmap/brk path cannot merge with a KSM'd neighbour, when that is the reason. */
function ksmLateNote(vmg: VmaMergeStruct, nb: Vma): string {
  const v = vmg.mm.kernel.profile;
  const diff = mergeFlagDiff(nb.flags, join32(vmg.flagsLo, vmg.flagsHi));
  if (diff !== VM_MERGEABLE || vmg.middle || !hasAny(nb.flags, VM_MERGEABLE) || !vmg.mm.mergeAny) return "";
  if (v.ksmFlagTiming === "late") {
    return ` — ${v.name} adds VM_MERGEABLE to a new mapping only after the merge attempt, in ksm_add_vma()` +
      " (the PR_SET_MEMORY_MERGE regression, d7597f59d1d3; fixed in 6.17 by cf7e7a3503df)";
  }
  return " — this mapping's VM_MERGEABLE is set late, after the driver's legacy .mmap hook" +
    " (__mmap_new_vma(), cf7e7a3503df keeps the 6.4-6.16 order there)";
}

// is_mergeable_vma()

export function flagsDiffer(vmg: VmaMergeStruct, nb: Vma, side: string): Why {
  const d = describeFlagDiff(nb.flags, join32(vmg.flagsLo, vmg.flagsHi), side, whatRange(vmg), vmg.mm.kernel.profile);
  return why(`flags differ: ${d}${ksmLateNote(vmg, nb)}`);
}

export function fileDiffers(vmg: VmaMergeStruct, nb: Vma, side: string): Why {
  const a = nb.file;
  const b = vmg.file;
  const what = whatRange(vmg);
  if (!a || !b) return why(`${side} is ${a ? "file-backed" : "anonymous"} and ${what} is not (vm_file differs)`);
  if (a.inode !== b.inode) return why(`vm_file differs: ${side} maps ${a.inode.path}, ${what} maps ${b.inode.path}`);
  return why(`vm_file differs: ${side} maps ${a.inode.path} through another open file description` +
    " (another open() of the same file)");
}

export const closeHook = (side: string): Why => why(`${side} has vm_ops->close`);

export const anonNameDiffers = (vmg: VmaMergeStruct, nb: Vma): Why =>
  why(`anon_vma_name differs (${JSON.stringify(nb.anonName)} vs ${JSON.stringify(vmg.anonName)})`);

// is_mergeable_anon_vma()

/** The fork test's name: vma_had_uncowed_parents() (6.16), vma_is_fork_child() from 61f67c230a5e (6.18.8, 6.19). */
const forkTest = (vmg: VmaMergeStruct): string =>
  vmg.mm.kernel.profile.copiedFrom ? "vma_is_fork_child()" : "vma_had_uncowed_parents()";

export const forkedRangeIntoUnfaulted = (vmg: VmaMergeStruct, side: string): Why =>
  why(`the range's anon_vma was inherited through fork and ${side} has none (${forkTest(vmg)})`);

export const forkedTargetUncowed = (vmg: VmaMergeStruct, side: string): Why =>
  why(`${side} inherited its anon_vma through fork (${forkTest(vmg)}): ` +
    "merging would break anon_vma scalability");

export const anonVmaDiffers = (side: string, tgt: AnonVma, src: AnonVma): Why =>
  why(`anon_vma differs (${side} has anon_vma #${tgt.id}, the range #${src.id})`);

export const faultedIntoUnfaulted = (side: string, src: AnonVma): Why =>
  why(`the range has anon_vma #${src.id} and ${side} has none: ` +
    "is_mergeable_anon_vma() refuses this before 6.16 (fixed by 879bca0a2c4f)");

export const forkedTargetChain = (side: string): Why =>
  why(`${side} inherited its anon_vma through fork (its anon_vma_chain is not singular)`);

// can_vma_merge_left() / can_vma_merge_right()

export const pgoffAfterPrev = (vmg: VmaMergeStruct, p: Vma): Why =>
  why(`pgoff not contiguous: prev ends at pgoff ${pgoffHex(p.pgoff + p.pages)}, ` +
    `the range starts at ${pgoffHex(vmg.pgoff)}`);

export const pgoffBeforeNext = (vmg: VmaMergeStruct, n: Vma, rangeEnd: number): Why =>
  why(`pgoff not contiguous: next starts at pgoff ${pgoffHex(n.pgoff)}, the range ends at ${pgoffHex(rangeEnd)}`);

export const prevNextAnonVmas = (p: AnonVma, n: AnonVma): Why =>
  why(`prev and next have different anon_vmas (#${p.id}, #${n.id}), so only one side can merge`);

// Refusals of the whole range (constants: free to record with tracing off).

export const SPECIAL_NEW_RANGE = new Why(
  "not merged: the range is VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP never merge)",
);
export const SPECIAL_LEGACY = new Why("not merged: the range is VM_SPECIAL");
export const SPECIAL_EXISTING = new Why("not merged: VM_SPECIAL");
export const MIDDLE_CLOSE_HOOK = new Why("not merged: the whole VMA would be removed but it has vm_ops->close");

// Trace lines

export const didNotMerge = (side: string, nb: Vma, no: Why): string =>
  `did not merge with ${side} ${range(nb.start, nb.end)}: ${no}`;

export const removed = (victim: Vma): string => `removed ${range(victim.start, victim.end)}, absorbed by the merge`;

/** vma_merge_new_range(), after commitMerge(): what the target became. */
export function mergedNewRange(vmg: VmaMergeStruct): string {
  const t = vmg.target!;
  if (vmg.removeNext) return `merged with prev and next: prev expanded to ${range(t.start, t.end)}, next removed`;
  if (t === vmg.prev) return `expanded prev to ${range(t.start, t.end)} (vma_expand())`;
  return `expanded next down to ${range(t.start, t.end)} (vma_expand()), pgoff ${pgoffHex(t.pgoff)}`;
}

/** The 6.1-6.11 mmap_region() expansion, after commitMerge(). */
export const expandedLegacy = (vmg: VmaMergeStruct): string =>
  `expanded ${vmg.target === vmg.prev ? "prev" : "next"} to ${range(vmg.target!.start, vmg.target!.end)}`;

/** vma_merge_existing_range(), after commitMerge(). */
export function mergedExistingRange(vmg: VmaMergeStruct): string {
  const t = vmg.target!;
  if (vmg.removeNext) return `merged prev, the range and next into ${range(t.start, t.end)}`;
  if (t === vmg.prev) {
    const rest = vmg.removeMiddle ? "" : `, the rest of the VMA now starts at ${hexAddr(t.end)}`;
    return `merged into prev: ${range(t.start, t.end)}${rest}`;
  }
  return `merged into next: ${range(t.start, t.end)}`;
}
