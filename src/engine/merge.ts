/**
 * VMA merging (mm/vma.c in 6.11+, mm/mmap.c before): the compatibility predicates, new-range
 * merges (mmap, brk, mremap) and existing-range merges (mprotect, madvise).
 *
 * Ported logic: is_mergeable_vma(), is_mergeable_anon_vma(), can_vma_merge_before/after(),
 * can_vma_merge_left/right(), vma_merge_new_range(), vma_merge_existing_range(), vma_expand()
 * (6.12+; the 6.1-6.11 vma_merge() cases 1-8 give the same outcomes apart from the
 * version switches modelled here), and the 6.1-6.11 open-coded expansion of mmap_region().
 * Every decision also records an explanation in the trace.
 * @module
 */
import { hasAny, hex, join32, mergeFlagDiff, VM_MERGEABLE, VM_SOFTDIRTY_LO, VM_SPECIAL_LO, FLAG_NAMES, type VmFlags } from "./flags.ts";
import type { File } from "./file.ts";
import type { Mm } from "./mm.ts";
import { pages, type AnonVma, type Vma } from "./vma.ts";
import type { VersionProfile } from "./version.ts";
import { mnemonic } from "./mnemonics.ts";
import { hexAddr } from "./trace.ts";
import { NOT_ADJACENT, UNEXPLAINED, Why, type VmaMergeStruct } from "./vma_merge_struct.ts";

export { NOT_ADJACENT, UNEXPLAINED, Why };

const why = (text: string) => new Why(text);

/** Does anyone read the reasons: the step trace, or a caller that asks (the analyser)? */
const explaining = (r: VmaMergeStruct): boolean => r.explain;

/** The request's flags as one word (cold paths: explanations). */
const requestFlags = (r: VmaMergeStruct): VmFlags => join32(r.flagsLo, r.flagsHi);

const profileOf = (r: VmaMergeStruct): VersionProfile => r.mm.kernel.profile;

/** Describe differing flag bits: "VM_MERGEABLE (mg): prev has it, the new range does not". */
export function describeFlagDiff(a: VmFlags, b: VmFlags, aName: string, bName: string, v: VersionProfile): string {
  const diff = mergeFlagDiff(a, b);
  const parts: string[] = [];
  for (const [bit, name] of FLAG_NAMES) {
    if (!(diff & bit)) continue;
    const n = bitIndex(bit);
    const m = mnemonic(n, v);
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

/** Why the 6.4-6.16 mmap/brk path cannot merge with a KSM'd neighbour, when that is the reason. */
function ksmLateNote(r: VmaMergeStruct, nb: Vma): string {
  const v = profileOf(r);
  const diff = mergeFlagDiff(nb.flags, requestFlags(r));
  if (diff !== VM_MERGEABLE || r.middle || !hasAny(nb.flags, VM_MERGEABLE) || !r.mm.mergeAny) return "";
  if (v.ksmFlagTiming === "late") {
    return ` — ${v.name} adds VM_MERGEABLE to a new mapping only after the merge attempt, in ksm_add_vma() (the PR_SET_MEMORY_MERGE regression, d7597f59d1d3; fixed in 6.17 by cf7e7a3503df)`;
  }
  return " — this mapping's VM_MERGEABLE is set late, after the driver's legacy .mmap hook (__mmap_new_vma(), cf7e7a3503df keeps the 6.4-6.16 order there)";
}

/**
 * is_mergeable_vma(): attribute equality with one neighbour. Returns why not, or null.
 * 6.1-6.11 also refuse a neighbour with vm_ops->close (6.4+: only one that would be removed, 714965ca8252);
 * 6.12+ check close hooks only at removal (can_merge_remove_vma()).
 */
export function isMergeableVma(r: VmaMergeStruct, nb: Vma, side: string, mayRemove: boolean): Why | null {
  const v = profileOf(r);
  // mergeFlagDiff() on the halves: VM_SOFTDIRTY (bit 27) is in the low word.
  if (((nb.flagsLo ^ r.flagsLo) & NOT_SOFTDIRTY_LO) !== 0 || nb.flagsHi !== r.flagsHi) {
    return explaining(r) ? why(`flags differ: ${describeFlagDiff(nb.flags, requestFlags(r), side, whatRange(r), v)}${ksmLateNote(r, nb)}`) : UNEXPLAINED;
  }
  if (nb.file !== r.file) {
    const a = nb.file;
    const b = r.file;
    if (!a || !b) return explaining(r) ? why(`${a ? side + " is file-backed" : side + " is anonymous"} and ${whatRange(r)} is not (vm_file differs)`) : UNEXPLAINED;
    if (a.inode !== b.inode) return explaining(r) ? why(`vm_file differs: ${side} maps ${a.inode.path}, ${whatRange(r)} maps ${b.inode.path}`) : UNEXPLAINED;
    return explaining(r) ? why(`vm_file differs: ${side} maps ${a.inode.path} through another open file description (another open() of the same file)`) : UNEXPLAINED;
  }
  if (v.mergeEngine === "legacy" && nb.hasCloseHook && (!v.closeHookOnlyIfRemoved || mayRemove)) {
    return explaining(r) ? why(`${side} has vm_ops->close`) : UNEXPLAINED;
  }
  if (nb.anonName !== r.anonName) return explaining(r) ? why(`anon_vma_name differs (${JSON.stringify(nb.anonName)} vs ${JSON.stringify(r.anonName)})`) : UNEXPLAINED;
  return null;
}

const NOT_SOFTDIRTY_LO = ~VM_SOFTDIRTY_LO;

/** How explanations name the range being merged. */
function whatRange(r: VmaMergeStruct): string {
  return r.middle ? "the changed range" : `the new ${r.caller} range`;
}

/** vma_had_uncowed_parents() (6.16+) / a non-singular anon_vma_chain: the VMA came from fork(). */
const forkChild = (v: Vma | null | undefined): boolean => !!v && !!v.anonVma && v.forkChild;

/**
 * is_mergeable_anon_vma(). ≤6.15: true if one side has no anon_vma and the target's chain is
 * singular, else the anon_vmas must be equal. 6.16+ (879bca0a2c4f): a faulted source may merge
 * into an unfaulted target unless the source came from fork.
 */
export function isMergeableAnonVma(r: VmaMergeStruct, tgt: Vma, side: string, src = r.anonVma): Why | null {
  const v = profileOf(r);
  const tgtAnon = tgt.anonVma;
  if (v.anonVmaRule === "uncowed") {
    if (!tgtAnon && src) {
      const from = r.middle ?? (v.copiedFrom ? r.copiedFrom ?? null : null);
      return forkChild(from) ? (explaining(r) ? why(`the range's anon_vma was inherited through fork and ${side} has none (vma_had_uncowed_parents())`) : UNEXPLAINED) : null;
    }
    if (tgtAnon && !src) return forkChild(tgt) ? (explaining(r) ? why(`${side} inherited its anon_vma through fork (vma_had_uncowed_parents()): merging would break anon_vma scalability`) : UNEXPLAINED) : null;
    return src === tgtAnon ? null : (explaining(r) ? why(`anon_vma differs (${side} has anon_vma #${tgtAnon!.id}, the range #${src!.id})`) : UNEXPLAINED);
  }
  if (!src && tgtAnon && !tgt.forkChild) return null;
  if (src === tgtAnon) return null;
  if (!tgtAnon) return explaining(r) ? why(`the range has anon_vma #${src!.id} and ${side} has none: is_mergeable_anon_vma() refuses this before 6.16 (fixed by 879bca0a2c4f)`) : UNEXPLAINED;
  if (!src) return explaining(r) ? why(`${side} inherited its anon_vma through fork (its anon_vma_chain is not singular)`) : UNEXPLAINED;
  return explaining(r) ? why(`anon_vma differs (${side} has anon_vma #${tgtAnon.id}, the range #${src.id})`) : UNEXPLAINED;
}

/** can_vma_merge_after() + adjacency: may the range be appended to prev? Returns why not. */
export function canMergeLeft(r: VmaMergeStruct, anonVma = r.anonVma): Why | null {
  const p = r.prev;
  if (!p || p.end !== r.start) return NOT_ADJACENT;
  const no = isMergeableVma(r, p, "prev", false) ?? isMergeableAnonVma(r, p, "prev", anonVma);
  if (no) return no;
  if (p.pgoff + p.pages !== r.pgoff) return explaining(r) ? why(`pgoff not contiguous: prev ends at pgoff 0x${(p.pgoff + p.pages).toString(16)}, the range starts at 0x${r.pgoff.toString(16)}`) : UNEXPLAINED;
  return null;
}

/** can_vma_merge_before() + adjacency (+ prev/next anon_vma compatibility when merging both). */
export function canMergeRight(r: VmaMergeStruct, left: boolean): Why | null {
  const n = r.next;
  if (!n || n.start !== r.end) return NOT_ADJACENT;
  const no = isMergeableVma(r, n, "next", true) ?? isMergeableAnonVma(r, n, "next");
  if (no) return no;
  if (n.pgoff !== r.pgoff + pages(r.end - r.start)) return explaining(r) ? why(`pgoff not contiguous: next starts at pgoff 0x${n.pgoff.toString(16)}, the range ends at 0x${(r.pgoff + pages(r.end - r.start)).toString(16)}`) : UNEXPLAINED;
  const p = r.prev;
  if (left && p && p.anonVma && n.anonVma && p.anonVma !== n.anonVma) {
    return explaining(r) ? why(`prev and next have different anon_vmas (#${p.anonVma!.id}, #${n.anonVma!.id}), so only one side can merge`) : UNEXPLAINED;
  }
  return null;
}

/** dup_anon_vma(): dst takes src's anon_vma (and its chain, so its fork status) if it has none. */
function dupAnonVma(dst: Vma, src: Vma): void {
  if (src.anonVma && !dst.anonVma) {
    dst.anonVma = src.anonVma;
    dst.forkChild = src.forkChild;
  }
}

function explainNoMerge(r: VmaMergeStruct, fn: string, side: "prev" | "next", why: Why | null): void {
  if (!why || why === NOT_ADJACENT || !r.mm.kernel.tracer.on) return;
  const nb = side === "prev" ? r.prev! : r.next!;
  r.mm.kernel.tracer.event("nomerge", fn, `did not merge with ${side} [${hexAddr(nb.start)}-${hexAddr(nb.end)}): ${why}`, nb.start, nb.end);
}

/** remove a VMA absorbed by a merge. */
function removeAbsorbed(r: VmaMergeStruct, victim: Vma, fn: string): void {
  r.mm.remove(victim);
  r.mm.kernel.tracer.on && r.mm.kernel.tracer.event("remove", fn, `removed [${hexAddr(victim.start)}-${hexAddr(victim.end)}), absorbed by the merge`, victim.start, victim.end);
}

/**
 * vma_merge_new_range() (6.12+; vma_merge() cases 1-3 before): merge an empty range
 * [start, end) with prev and/or next. Returns the VMA now covering the range, or null.
 */
export function vmaMergeNewRange(r: VmaMergeStruct): Vma | null {
  const fn = profileOf(r).mergeEngine === "vmg" ? "vma_merge_new_range" : "vma_merge";
  const t = r.mm.kernel.tracer;
  if ((r.flagsLo & VM_SPECIAL_LO) !== 0) {
    t.on && t.event("nomerge", fn, `not merged: the range is VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP never merge)`);
    return null;
  }
  if (!r.prev && !r.next) return null;
  const leftWhy = canMergeLeft(r);
  const left = leftWhy === null;
  const rightWhy = r.justExpand ? NOT_ADJACENT : canMergeRight(r, left);
  const right = rightWhy === null;
  explainNoMerge(r, fn, "prev", leftWhy);
  if (!r.justExpand) explainNoMerge(r, fn, "next", rightWhy);
  if (!left && !right) return null;
  const p = r.prev!;
  const n = r.next;
  if (left && right && !n!.hasCloseHook) {
    // vma_expand(): prev absorbs the range and next.
    const end = n!.end;
    dupAnonVma(p, n!);
    removeAbsorbed(r, n!, fn);
    r.mm.setRange(p, p.start, end, p.pgoff);
    t.on && t.event("merge", fn, `merged with prev and next: prev expanded to [${hexAddr(p.start)}-${hexAddr(end)}), next removed`, p.start, end);
    return p;
  }
  // vma_expand() (6.18.8+/6.19): the target takes the moved VMA's anon_vma; before, it did not (the UAF).
  const copied = profileOf(r).copiedFrom ? r.copiedFrom ?? null : null;
  if (left) {
    if (copied) dupAnonVma(p, copied);
    r.mm.setRange(p, p.start, r.end, p.pgoff);
    t.on && t.event("merge", fn, `expanded prev to [${hexAddr(p.start)}-${hexAddr(r.end)}) (vma_expand())`, p.start, r.end);
    return p;
  }
  const nx = n!;
  if (copied) dupAnonVma(nx, copied);
  r.mm.setRange(nx, r.start, nx.end, nx.pgoff - pages(r.end - r.start));
  t.on && t.event("merge", fn, `expanded next down to [${hexAddr(r.start)}-${hexAddr(nx.end)}) (vma_expand()), pgoff 0x${nx.pgoff.toString(16)}`, r.start, nx.end);
  return nx;
}

/**
 * The open-coded expansion of 6.1-6.11 mmap_region(): next is tried first with no anon_vma,
 * then prev against next's anon_vma; so when prev and next have different anon_vmas, the new
 * range joins next (6.12+ vma_merge_new_range() joins prev).
 */
export function mmapRegionExpandLegacy(r: VmaMergeStruct): Vma | null {
  const fn = "mmap_region";
  const t = r.mm.kernel.tracer;
  if ((r.flagsLo & VM_SPECIAL_LO) !== 0) {
    t.on && t.event("nomerge", fn, `not merged: the range is VM_SPECIAL`);
    return null;
  }
  let cand: Vma | null = null;
  let mergeStart = r.start;
  let mergeEnd = r.end;
  let pgoff = r.pgoff;
  const rightWhy = canMergeRight(r, false);
  if (rightWhy === null) {
    cand = r.next;
    mergeEnd = r.next!.end;
    pgoff = r.next!.pgoff - pages(r.end - r.start);
  }
  const leftWhy = canMergeLeft(r, cand ? cand.anonVma : null);
  if (leftWhy === null) {
    cand = r.prev;
    mergeStart = r.prev!.start;
    pgoff = r.prev!.pgoff;
  }
  explainNoMerge(r, fn, "prev", leftWhy);
  explainNoMerge(r, fn, "next", rightWhy);
  if (!cand) return null;
  const n = r.next;
  if (n && n !== cand && mergeEnd === n.end) {
    dupAnonVma(cand, n);
    removeAbsorbed(r, n, "vma_expand");
  }
  r.mm.setRange(cand, mergeStart, mergeEnd, pgoff);
  const c = cand;
  t.on && t.event("merge", "vma_expand", `expanded ${c === r.prev ? "prev" : "next"} to [${hexAddr(mergeStart)}-${hexAddr(mergeEnd)})`, mergeStart, mergeEnd);
  return cand;
}

/**
 * vma_merge_existing_range() (6.12+; vma_merge() cases 4-8 before): [start, end) lies inside
 * `middle` and is getting new attributes. Returns the VMA that now holds the range (the caller
 * then writes the new flags onto it, as vm_flags_reset() does), or null.
 */
export function vmaMergeExistingRange(r: VmaMergeStruct): Vma | null {
  const fn = profileOf(r).mergeEngine === "vmg" ? "vma_merge_existing_range" : "vma_merge";
  const t = r.mm.kernel.tracer;
  const m = r.middle!;
  const leftSide = r.start === m.start;
  const rightSide = r.end === m.end;
  if ((r.flagsLo & VM_SPECIAL_LO) !== 0) {
    t.on && t.event("nomerge", fn, `not merged: VM_SPECIAL`);
    return null;
  }
  if (!leftSide && !rightSide) return null;
  // Like vmg->prev/next: a neighbour counts only on a side where the range touches middle's edge.
  r.prev = leftSide ? m.prev : null;
  r.next = rightSide ? m.next : null;
  const leftWhy = leftSide ? canMergeLeft(r) : NOT_ADJACENT;
  let left = leftWhy === null;
  const rightWhy = rightSide ? canMergeRight(r, left) : NOT_ADJACENT;
  let right = rightWhy === null;
  explainNoMerge(r, fn, "prev", leftWhy);
  explainNoMerge(r, fn, "next", rightWhy);
  if (!left && !right) return null;
  const removeMiddle = leftSide && rightSide;
  if (removeMiddle && m.hasCloseHook) {
    t.on && t.event("nomerge", fn, `not merged: the whole VMA would be removed but it has vm_ops->close`);
    return null;
  }
  const p = r.prev;
  const n = r.next;
  if (left && right && n!.hasCloseHook) right = false;
  if (left && right) {
    const end = n!.end;
    dupAnonVma(p!, n!.anonVma ? n! : m);
    removeAbsorbed(r, m, fn);
    removeAbsorbed(r, n!, fn);
    r.mm.setRange(p!, p!.start, end, p!.pgoff);
    t.on && t.event("merge", fn, `merged prev, the range and next into [${hexAddr(p!.start)}-${hexAddr(end)})`, p!.start, end);
    return p;
  }
  if (left) {
    dupAnonVma(p!, m);
    if (removeMiddle) removeAbsorbed(r, m, fn);
    else r.mm.setRange(m, r.end, m.end, m.pgoff + pages(r.end - m.start));
    r.mm.setRange(p!, p!.start, r.end, p!.pgoff);
    t.on && t.event("merge", fn, `merged into prev: [${hexAddr(p!.start)}-${hexAddr(r.end)})${removeMiddle ? "" : `, the rest of the VMA now starts at ${hexAddr(r.end)}`}`, p!.start, r.end);
    return p;
  }
  left = false;
  const nx = n!;
  dupAnonVma(nx, m);
  const newStart = removeMiddle ? m.start : r.start;
  if (removeMiddle) removeAbsorbed(r, m, fn);
  else r.mm.setRange(m, m.start, r.start, m.pgoff);
  r.mm.setRange(nx, newStart, nx.end, nx.pgoff - pages(nx.start - newStart));
  t.on && t.event("merge", fn, `merged into next: [${hexAddr(newStart)}-${hexAddr(nx.end)})`, newStart, nx.end);
  return nx;
}
