/**
 * Why two touching VMAs of a real process are two: the engine's merge predicates
 * (canMergeLeft(), isMergeableVma(), isMergeableAnonVma() in src/engine/merge.ts) run on Vma
 * objects rebuilt from smaps. What smaps does not show (anon_vma, struct file, anonymous
 * vm_pgoff, mempolicy, userfaultfd context) is set to the value that allows a merge, so a failing
 * predicate is a certain reason; when the predicates pass, the pair is a suspect and the engine is
 * asked which hidden difference would explain it.
 * @module
 */
import type { Host } from "../engine/host.ts";
import { Mm } from "../engine/mm.ts";
import { PageAlloc } from "../engine/page.ts";
import { Tracer } from "../engine/trace.ts";
import { Vfs } from "../engine/vfs.ts";
import { VmaCache } from "../engine/vma_cache.ts";
import type { Vma } from "../engine/vma.ts";
import type { File, FileKind, Inode } from "../engine/file.ts";
import { describeFlagDiff, isMergeableVma, planMergeExistingRange, type Why } from "../engine/merge.ts";
import { vmgVmaState, type VmaMergeStruct } from "../engine/vma_merge_struct.ts";
import { clearFlags, flagWords, VM_MERGEABLE, VM_SHARED, VM_SOFTDIRTY, VM_SPECIAL } from "../engine/flags.ts";
import type { VersionProfile } from "../engine/version.ts";
import { DEFAULT_MAX_MAP_COUNT, PAGE_SIZE } from "../engine/uapi.ts";
import type { SmapsVma } from "./smaps.ts";
import { flagDecoder, type DecodedFlags } from "./vmflags.ts";

/** The site chapter that tells the regression's story. */
export const REGRESSION_CHAPTER = "/regression/#how-it-shows";

export type PairKind =
  | "special" // VM_SPECIAL on a side: vma_merge_*() refuse before any predicate
  | "flags" // is_mergeable_vma(): vm_flags differ (ignoring VM_SOFTDIRTY)
  | "file" // is_mergeable_vma(): different files, or file next to anonymous
  | "anon-name" // is_mergeable_vma(): anon_vma_name differs
  | "pgoff" // can_vma_merge_after(): file offsets not contiguous
  | "ksm-regression" // identical anonymous mg VMAs on 6.4-6.16: PR_SET_MEMORY_MERGE regression
  | "ksm-late-file" // identical mg file VMAs whose driver has a legacy .mmap hook (6.17+ keeps the late flag)
  | "anon-vma" // identical anonymous VMAs: their anon_vmas must differ (smaps cannot show them)
  | "file-struct" // identical file VMAs: different struct file (two open()s), or different anon_vmas
  | "unknown"; // identical and nothing smaps shows explains it

/** One distinct reason; pairs point at these by index (60,000 pairs share a handful). */
export interface Reason {
  kind: PairKind;
  /** Every attribute smaps shows allows the merge: only hidden state keeps the pair apart. */
  suspect: boolean;
  /** The kernel function whose check fails. */
  fn: string;
  /** The explanation, one or two sentences. */
  text: string;
  /** The engine predicate's own words for the failing check (or for the hidden difference it was probed with). */
  kernelCheck: string;
  /** Mnemonics set only on the left / right VMA. */
  onlyLeft: string[];
  onlyRight: string[];
  /** What smaps cannot tell about this pair. */
  unknowable: string;
}

export interface ExplainContext {
  profile: VersionProfile;
  /** The kernel version was given (not assumed): version-dependent patterns are stated, not hedged. */
  known: boolean;
  mm: Mm;
  decode: (s: string) => DecodedFlags;
  files: Map<string, File>;
  reasons: Reason[];
  cache: Map<string, number>;
}

export function explainContext(profile: VersionProfile, known: boolean, softDirty: boolean): ExplainContext {
  const mm = new Mm(analysisHost(profile, softDirty), 0);
  return { profile, known, mm, decode: flagDecoder(profile), files: new Map(), reasons: [], cache: new Map() };
}

/**
 * The kernel context of the analyser's mm: the profile the merge predicates read, VMA identities,
 * and no trace. No Kernel is booted (no process table, no ksmd): the analyser only asks the
 * predicates (explain: true) and never runs a syscall, so whatever would reach ksmd is an error.
 */
function analysisHost(profile: VersionProfile, softDirty: boolean): Host<Mm> {
  let ids = 1;
  const noSyscall = (): never => {
    throw new Error("the analyser's mm runs no syscall: nothing may reach ksmd or the page cache");
  };
  return {
    profile,
    config: { softDirty, anonVmaName: true },
    maxMapCount: DEFAULT_MAX_MAP_COUNT,
    tracer: new Tracer(false),
    vmaCache: new VmaCache(),
    vfs: new Vfs(),
    pages: new PageAlloc(),
    ksmHooks: { enter: noSyscall, exit: noSyscall, unmerged: noSyscall, unmapped: noSyscall, fork: noSyscall,
      mmKsm: noSyscall },
    nextId: () => ids++,
    pageCache: noSyscall,
    overcommit: { mode: 1, ratio: 50, ramBytes: 0, swapBytes: 0 },
    liveMms: noSyscall,
  };
}

/** VM_IO, VM_PFNMAP, VM_DONTEXPAND, VM_MIXEDMAP: the VM_SPECIAL bits (include/linux/mm.h). */
const SPECIAL_MNEMONICS = ["io", "pf", "de", "mm"];
const SPECIAL_NAMES = new Set(["[vdso]", "[vvar]", "[vvar_vclock]", "[vsyscall]", "[uprobes]", "[sigpage]", "[vectors]"]);

/** Anonymous memory as smaps shows it: no device, no inode, not a special mapping. */
export function isAnonymous(v: SmapsVma): boolean {
  return v.inode === 0 && v.dev === "00:00" && !SPECIAL_NAMES.has(v.name);
}

function fileKind(v: SmapsVma): FileKind {
  if (v.name === "/dev/zero") return "devzero";
  if (v.name === "/dev/zero (deleted)" || v.name.startsWith("/SYSV")) return "shmem-anon";
  if (v.name.startsWith("/memfd:")) return "memfd";
  if (v.name.startsWith("/dev/shm/")) return "tmpfs";
  return "ext4";
}

const fileKey = (v: SmapsVma) => (isAnonymous(v) ? "" : `${v.dev} ${v.inode} ${v.name}`);

/** One struct file per (dev, inode, path): the best case for is_mergeable_vma()'s vm_file check. */
function fileOf(ctx: ExplainContext, v: SmapsVma): File | null {
  if (isAnonymous(v)) return null;
  const key = fileKey(v);
  let f = ctx.files.get(key);
  if (!f) {
    const inode: Inode = { ino: v.inode, dev: [0, 0], path: v.name || `(${v.dev} ${v.inode})`, kind: fileKind(v), size: 0 };
    f = { id: ctx.files.size + 1, inode, readable: true, writable: true };
    ctx.files.set(key, f);
  }
  return f;
}

function anonName(v: SmapsVma): string | null {
  const m = /^\[anon(?:_shmem)?:(.*)\]$/.exec(v.name);
  return m ? m[1]! : null;
}

/** Rebuild a Vma for the predicates: hidden state (anon_vma, close hook, fork) set to what allows merging. */
export function toVma(ctx: ExplainContext, v: SmapsVma): Vma {
  const d = ctx.decode(v.vmflags);
  const file = fileOf(ctx, v);
  // Anonymous vm_pgoff is not printed (smaps shows 0); a fresh anonymous VMA has addr >> PAGE_SHIFT.
  // The engine's addresses are numbers: exact for page-aligned ones below 2^65 (unaligned ones are warned about).
  const start = Number(v.start);
  const pgoff = file ? v.offset / PAGE_SIZE : Math.floor(start / PAGE_SIZE);
  const vma = ctx.mm.newVma(start, Number(v.end), d.flags, pgoff, file);
  vma.anonName = anonName(v);
  if (SPECIAL_NAMES.has(v.name)) vma.special = v.name as Vma["special"];
  return vma;
}

/** The request "merge `b` into its prev `a`", as vma_merge_existing_range() would build it. */
function request(ctx: ExplainContext, a: Vma, b: Vma, caller = "analyze"): VmaMergeStruct {
  const vmg = vmgVmaState(ctx.mm, a, b, b.start, b.end, caller);
  vmg.explain = true;
  return vmg;
}

/** A predicate's answer as text (requests here set `explain`, so a "no" always carries its reason). */
const said = (w: Why | null): string | null => (w ? w.text : null);

/**
 * Would `b` merge into its prev `a`, and if not, why: a dry run of vma_merge_existing_range()
 * (planMergeExistingRange() plans and changes no VMA). `b` is not in the tree: no next.
 */
function whyNotMerged(ctx: ExplainContext, a: Vma, b: Vma): string | null {
  const vmg = request(ctx, a, b);
  return planMergeExistingRange(vmg) ? null : said(vmg.prevWhy ?? vmg.why);
}

/** The engine speaks of prev and the range; the report speaks of the left and right VMA. */
const sides = (s: string) => s.replace(/the changed range/g, "the right VMA").replace(/the range/g, "the right VMA").replace(/\bprev\b/g, "the left VMA");

const mergeFn = (v: VersionProfile) => (v.mergeEngine === "vmg" ? "vma_merge_existing_range()/vma_merge_new_range()" : "vma_merge()");
const hasAnonPages = (v: SmapsVma) => v.anonymous > 0 || v.swap > 0;

const UNKNOWABLE_ANON = "smaps does not show anon_vmas: a VMA gets one at its first write fault (or inherits its parent's through fork) and keeps it after its pages are freed, so \"Anonymous: 0 kB\" does not mean it has none. It also does not show an anonymous VMA's vm_pgoff (mremap() moves keep the old one), its NUMA policy (numa_maps does) or its userfaultfd context.";
const UNKNOWABLE_FILE = "smaps shows the inode (dev:inode), not the struct file: two open()s of one file look the same. It also does not show anon_vmas of private COW pages, the NUMA policy or the userfaultfd context.";

/** Explain why `a` and `b` (touching: a.end === b.start) are two VMAs. Returns an index into ctx.reasons. */
export function explainPair(ctx: ExplainContext, a: SmapsVma, b: SmapsVma, va: Vma, vb: Vma): number {
  const contiguous = isAnonymous(a) || a.offset + Number(a.end - a.start) === b.offset;
  const key = `${a.vmflags}|${b.vmflags}|${fileKey(a)}|${fileKey(b)}|${contiguous ? 1 : 0}|${va.anonName}|${vb.anonName}|${hasAnonPages(a) ? 1 : 0}${hasAnonPages(b) ? 1 : 0}|${a.perms}${b.perms}`;
  const hit = ctx.cache.get(key);
  if (hit !== undefined) return hit;
  const r = reason(ctx, a, b, va, vb);
  ctx.reasons.push(r);
  ctx.cache.set(key, ctx.reasons.length - 1);
  return ctx.reasons.length - 1;
}

function mnemonicDiff(a: string, b: string): [string[], string[]] {
  const fa = new Set(a.split(" ").filter(Boolean));
  const fb = new Set(b.split(" ").filter(Boolean));
  return [[...fa].filter((m) => !fb.has(m)), [...fb].filter((m) => !fa.has(m))];
}

function reason(ctx: ExplainContext, a: SmapsVma, b: SmapsVma, va: Vma, vb: Vma): Reason {
  const v = ctx.profile;
  const [onlyLeft, onlyRight] = mnemonicDiff(a.vmflags, b.vmflags);
  const base = { onlyLeft, onlyRight };
  const special = (va.flags | vb.flags) & VM_SPECIAL;
  if (special) {
    const bitsOf = (x: SmapsVma) => x.vmflags.split(" ").filter((m) => SPECIAL_MNEMONICS.includes(m));
    const sideText = ([["left", a], ["right", b]] as const).filter(([, x]) => bitsOf(x).length).map(([n, x]) => `the ${n} VMA has ${bitsOf(x).join(" ")}`).join(" and ");
    return { ...base, kind: "special", suspect: false, fn: mergeFn(v), text: `${sideText} (io VM_IO, pf VM_PFNMAP, de VM_DONTEXPAND, mm VM_MIXEDMAP: VM_SPECIAL); such VMAs never merge.`, kernelCheck: "vma_merge_*(): if (vmg->vm_flags & VM_SPECIAL) return NULL", unknowable: "" };
  }
  const whyRaw = whyNotMerged(ctx, va, vb);
  const why = whyRaw === null ? null : sides(whyRaw);
  const da = ctx.decode(a.vmflags);
  const db = ctx.decode(b.vmflags);
  const unknownDiff = da.unknown.join(" ") !== db.unknown.join(" ");
  if (unknownDiff || (why && clearFlags(va.flags ^ vb.flags, VM_SOFTDIRTY) !== 0n)) {
    const diff = unknownDiff && !why ? `mnemonics this kernel profile does not know differ (${[...onlyLeft, ...onlyRight].join(" ")})` : describeFlagDiff(va.flags, vb.flags, "the left VMA", "the right VMA", v);
    // Blame KSM only when mg is the one difference; beside another flag (an mprotect()), that flag decides.
    const differ = clearFlags(va.flags ^ vb.flags, VM_SOFTDIRTY);
    const mg = differ === VM_MERGEABLE ? " KSM's VM_MERGEABLE is set on part of a range only: madvise(MADV_MERGEABLE) on a sub-range splits the VMA."
      : differ & VM_MERGEABLE ? " The other flags alone keep these VMAs apart; mg differs as well." : "";
    return { ...base, kind: "flags", suspect: false, fn: "is_mergeable_vma()", text: `${flagList(onlyLeft, onlyRight)}.${mg}`, kernelCheck: why ?? `flags differ: ${diff}`, unknowable: "" };
  }
  if (why && va.file !== vb.file) {
    const text = !va.file || !vb.file
      ? `${va.file ? "the left VMA maps a file and the right one is anonymous" : "the left VMA is anonymous and the right one maps a file"} (vm_file differs).`
      : `the left VMA maps ${a.name || `${a.dev}:${a.inode}`} (${a.dev} inode ${a.inode}), the right ${b.name || `${b.dev}:${b.inode}`} (${b.dev} inode ${b.inode}).`;
    return { ...base, kind: "file", suspect: false, fn: "is_mergeable_vma()", text, kernelCheck: `vm_file differs (is_mergeable_vma() compares the struct file pointers)`, unknowable: "" };
  }
  if (why && va.anonName !== vb.anonName) {
    return { ...base, kind: "anon-name", suspect: false, fn: "is_mergeable_vma()", text: `${JSON.stringify(a.name)} and ${JSON.stringify(b.name)} (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME)).`, kernelCheck: why, unknowable: "" };
  }
  if (why && why.startsWith("pgoff")) {
    const want = a.offset + Number(a.end - a.start);
    return { ...base, kind: "pgoff", suspect: false, fn: "can_vma_merge_after()", text: `the left VMA ends at file offset 0x${want.toString(16)}, the right one starts at 0x${b.offset.toString(16)}.`, kernelCheck: why, unknowable: "" };
  }
  if (why) {
    return { ...base, kind: "unknown", suspect: false, fn: "is_mergeable_vma()", text: why, kernelCheck: why, unknowable: "" };
  }
  return suspectReason(ctx, a, b, va, vb, base);
}

/** Visible attributes allow the merge. Ask the engine which hidden difference explains the pair. */
function suspectReason(ctx: ExplainContext, a: SmapsVma, b: SmapsVma, va: Vma, vb: Vma, base: Pick<Reason, "onlyLeft" | "onlyRight">): Reason {
  const v = ctx.profile;
  const bothMg = !!(va.flags & vb.flags & VM_MERGEABLE);
  const anon = !va.file && !vb.file;
  const identical = onlySoftDirty(base) ? " (they differ only in sd, which merging ignores)" : "";
  // The 6.4-6.16 mmap/brk path: the new range has no VM_MERGEABLE when the merge is tried (ksm_add_vma() runs after).
  const lateProbe = () => {
    ctx.mm.mergeAny = true;
    const r = request(ctx, va, vb, "mmap");
    r.middle = null;
    Object.assign(r, flagWords(clearFlags(vb.flags, VM_MERGEABLE)));
    const s = said(isMergeableVma(r, va, "prev", false));
    ctx.mm.mergeAny = false;
    return s ? sides(s) : "";
  };
  if (anon && bothMg && (v.ksmFlagTiming === "late" || !ctx.known)) {
    const cond = ctx.known ? `On ${v.name}` : "If this kernel is 6.4-6.16";
    const check = ctx.known ? lateProbe() : "";
    return {
      ...base, kind: "ksm-regression", suspect: true, fn: v.ksmFlagTiming === "late" ? "__mmap_region() / do_brk_flags() + ksm_add_vma()" : "ksm_add_vma() (6.4-6.16)",
      text: `identical anonymous VMAs, both mg${identical}. ${cond}, a process with prctl(PR_SET_MEMORY_MERGE, 1) gets VM_MERGEABLE on each new mapping only after the merge attempt (ksm_add_vma(), d7597f59d1d3), so a mapping next to an mg VMA never merges with it; fixed in 6.17 by cf7e7a3503df. See ${REGRESSION_CHAPTER}.${ctx.known ? "" : " On 6.17+ the likely cause is different anon_vmas."}`,
      kernelCheck: check || "flags differ at merge time: VM_MERGEABLE (mg): the left VMA has it, the new mmap range does not yet",
      unknowable: UNKNOWABLE_ANON,
    };
  }
  if (!anon && va.file === vb.file && bothMg && v.ksmFlagTiming === "early" && !(va.flags & VM_SHARED)) {
    // /dev/zero's mmap_zero() is a legacy .mmap hook in 6.17 and 6.18 (kallsyms: no mmap_zero_prepare).
    if (va.file!.inode.kind === "devzero") {
      return {
        ...base, kind: "ksm-late-file", suspect: true, fn: "__mmap_region() (can_set_ksm_flags_early() false)",
        text: `identical private mappings of ${a.name}, both mg${identical}: /dev/zero's mmap_zero() is a legacy .mmap hook, so under PR_SET_MEMORY_MERGE a new mapping gets VM_MERGEABLE only after the merge attempt, as on 6.4-6.16: the part of the regression cf7e7a3503df left in place. See ${REGRESSION_CHAPTER.replace("#how-it-shows", "#what-stays-unfixed")}.`,
        kernelCheck: lateProbe(),
        unknowable: UNKNOWABLE_FILE,
      };
    }
  }
  if (anon) {
    const other = ctx.mm.newAnonVma();
    const mine = ctx.mm.newAnonVma();
    va.anonVma = other;
    vb.anonVma = mine;
    const check = whyNotMerged(ctx, va, vb) ?? "";
    va.anonVma = vb.anonVma = null;
    const both = hasAnonPages(a) && hasAnonPages(b);
    const pages = both
      ? "Both have anonymous pages, so both have an anon_vma, and they are not the same one"
      : "Their anon_vmas differ (a VMA keeps its anon_vma after its pages are freed), or one came from fork()";
    const fix = v.ksmFlagTiming === "early" && bothMg ? " New anonymous mappings get mg before the merge attempt on 6.17+, so this is not the PR_SET_MEMORY_MERGE regression." : "";
    return { ...base, kind: "anon-vma", suspect: true, fn: "is_mergeable_anon_vma()", text: `identical anonymous VMAs${identical}. ${pages}: each was faulted while the two were apart (different anon_vmas never merge), or one was moved by mremap() and its vm_pgoff is not linear.${fix}`, kernelCheck: sides(check), unknowable: UNKNOWABLE_ANON };
  }
  if (va.file && va.file === vb.file) {
    const f = va.file;
    const twin: File = { ...f, id: f.id + 100000 };
    vb.file = twin;
    const check = whyNotMerged(ctx, va, vb) ?? "";
    vb.file = f;
    const cow = hasAnonPages(a) || hasAnonPages(b) ? " Or, since it has private copy-on-write pages, the two have different anon_vmas." : "";
    const late = bothMg && v.ksmFlagTiming === "early" && !(va.flags & VM_SHARED)
      ? " Or, if its filesystem or driver still has a legacy .mmap hook (ext4 and most block filesystems use .mmap_prepare since 6.17), the late VM_MERGEABLE of PR_SET_MEMORY_MERGE."
      : "";
    return { ...base, kind: "file-struct", suspect: true, fn: "is_mergeable_vma()", text: `identical mappings of ${a.name || `${a.dev}:${a.inode}`} with contiguous offsets${identical}: most likely the file was opened twice (two struct files; is_mergeable_vma() compares vm_file).${cow}${late}`, kernelCheck: sides(check), unknowable: UNKNOWABLE_FILE };
  }
  return { ...base, kind: "unknown", suspect: true, fn: "is_mergeable_vma()", text: `identical attributes${identical}: nothing smaps shows explains the split.`, kernelCheck: "", unknowable: UNKNOWABLE_ANON };
}

const onlySoftDirty = (b: Pick<Reason, "onlyLeft" | "onlyRight">) => b.onlyLeft.length + b.onlyRight.length > 0 && [...b.onlyLeft, ...b.onlyRight].every((m) => m === "sd");

function flagList(l: string[], r: string[]): string {
  const parts: string[] = [];
  if (l.length) parts.push(`${l.join(" ")} only on the left VMA`);
  if (r.length) parts.push(`${r.join(" ")} only on the right VMA`);
  return parts.join(", ") || "the same mnemonics (different bits behind them)";
}
