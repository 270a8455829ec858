/**
 * The smaps analyser: every pair of touching VMAs explained with the engine's merge predicates,
 * runs of fragmentation, and a summary against vm.max_map_count. Pure (no DOM, no Node): the
 * page runs it in a Worker, the CLI in-process.
 * @module
 */
import { LATEST_VERSION, resolveVersion } from "../engine/version.ts";
import { DEFAULT_MAX_MAP_COUNT } from "../engine/uapi.ts";
import { MAX_WARNINGS, parseSmaps, type InputWarning, type Progress, type SmapsVma } from "./smaps.ts";
import { explainContext, explainPair, toVma, REGRESSION_CHAPTER, type PairKind, type Reason } from "./explain.ts";
import { parseKsmStat, type KsmStat } from "./ksm_stat.ts";
import { quote } from "./printable.ts";

export interface AnalyzeOptions {
  /** Kernel version of the machine the smaps came from ("6.16", a `uname -r`); absent = unknown. */
  kernel?: string;
  /** Where the version came from, for the report ("--kernel", "uname -r"). */
  kernelSource?: string;
  /** vm.max_map_count of that machine (default 65530). */
  maxMapCount?: number;
  /** Text of /proc/PID/ksm_stat, if any. */
  ksmStat?: string;
  /** What was analysed, for the report title ("/proc/1234/smaps", "pasted text"). */
  source?: string;
  /** Size limit in characters (default 256 Mi). */
  maxChars?: number;
  /** How many of the largest runs to keep (default 10). */
  topRuns?: number;
}

/** Touching VMAs (a.end === b.start) that the kernel left apart; `reason` indexes Analysis.reasons. */
export interface Pair {
  /** Index of the left VMA in Analysis.vmas; the right one is left + 1. */
  left: number;
  reason: number;
}

/** A run of fragmentation: consecutive VMAs whose every boundary is a suspect (visible attributes allow the merge). */
export interface Run {
  first: number;
  last: number;
  start: bigint;
  end: bigint;
  vmas: number;
  /** The most frequent reason kind on its boundaries. */
  kind: PairKind;
  name: string;
  perms: string;
  vmflags: string;
}

export interface Summary {
  vmaCount: number;
  maxMapCount: number;
  touchingPairs: number;
  /** Pairs whose visible attributes allow merging. */
  suspectPairs: number;
  /** VMAs left if every suspect pair merged. */
  vmasIfMerged: number;
  byKind: Partial<Record<PairKind, number>>;
  /** Pairs named as the PR_SET_MEMORY_MERGE regression (ksm-regression + ksm-late-file). */
  regressionPairs: number;
  mgVmas: number;
  /** Sums of the smaps lines, kB (null in a reduced smaps without them). */
  rssKb: number | null;
  anonKb: number | null;
  ksmKb: number | null;
}

export interface Analysis {
  source: string;
  kernel: { profile: string; known: boolean; given: string | null; source: string | null };
  vmas: SmapsVma[];
  /** The gate VMA ([vsyscall]): shown by smaps, not counted in map_count. */
  gate: SmapsVma[];
  pairs: Pair[];
  reasons: Reason[];
  runs: Run[];
  summary: Summary;
  ksmStat: KsmStat | null;
  softDirty: boolean;
  reduced: boolean;
  regressionChapter: string;
  /** Input accepted but not as the kernel prints it (the first MAX_WARNINGS), and how many in all. */
  warnings: InputWarning[];
  warningCount: number;
}

/**
 * Analyse the text of /proc/PID/smaps. Throws SmapsInputError (with what was expected and what to
 * run) for input that is not smaps, and KernelError(EINVAL) for an unsupported kernel version.
 */
export function analyzeSmaps(text: string, opts: AnalyzeOptions = {}, onProgress?: Progress): Analysis {
  const profile = resolveVersion(opts.kernel ?? LATEST_VERSION);
  const ksmStat = opts.ksmStat !== undefined ? parseKsmStat(opts.ksmStat) : null;
  const parsed = parseSmaps(text, { maxChars: opts.maxChars }, onProgress);
  const vmas = parsed.vmas;
  const ctx = explainContext(profile, opts.kernel !== undefined, parsed.softDirty);
  const pairs: Pair[] = [];
  const suspectAt = new Uint8Array(vmas.length);
  const byKind: Partial<Record<PairKind, number>> = {};
  let suspects = 0;
  let regression = 0;
  let prevVma = vmas.length ? toVma(ctx, vmas[0]!) : null;
  const step = 4096;
  for (let i = 0; i + 1 < vmas.length; i++) {
    const a = vmas[i]!;
    const b = vmas[i + 1]!;
    const vb = toVma(ctx, b);
    if (a.end === b.start) {
      const r = explainPair(ctx, a, b, prevVma!, vb);
      pairs.push({ left: i, reason: r });
      const reason = ctx.reasons[r]!;
      byKind[reason.kind] = (byKind[reason.kind] ?? 0) + 1;
      if (reason.suspect) {
        suspects++;
        suspectAt[i] = 1;
      }
      if (reason.kind === "ksm-regression" || reason.kind === "ksm-late-file") regression++;
    }
    prevVma = vb;
    if (onProgress && i % step === 0) onProgress({ phase: "analyse", done: i, total: vmas.length });
  }
  onProgress?.({ phase: "analyse", done: vmas.length, total: vmas.length });

  const sum = (f: (v: SmapsVma) => number) => {
    let s = 0;
    for (const v of vmas) {
      const x = f(v);
      if (x < 0) return null;
      s += x;
    }
    return s;
  };
  let mg = 0;
  for (const v of vmas) if (/(^| )mg( |$)/.test(v.vmflags)) mg++;
  const warnings = [...parsed.warnings];
  let warningCount = parsed.warningCount;
  const seen = new Set<string>();
  for (const v of [...vmas, ...parsed.gate]) {
    if (seen.has(v.vmflags)) continue;
    seen.add(v.vmflags);
    const unknown = ctx.decode(v.vmflags).unknown;
    if (!unknown.length) continue;
    if (++warningCount <= MAX_WARNINGS) {
      warnings.push({ line: v.line, text: `VmFlags ${unknown.map((m) => `"${quote(m, 8)}"`).join(", ")} ${unknown.length > 1 ? "are mnemonics" : "is a mnemonic"} the ${profile.name} profile does not know (show_smap_vma_flags()): compared as text, not decoded into a flag.` });
    }
  }
  return {
    source: opts.source ?? "smaps",
    kernel: { profile: profile.name, known: opts.kernel !== undefined, given: opts.kernel ?? null, source: opts.kernelSource ?? (opts.kernel !== undefined ? "given" : null) },
    vmas, gate: parsed.gate, pairs, reasons: ctx.reasons,
    runs: runsOf(vmas, pairs, suspectAt, ctx.reasons, opts.topRuns ?? 10),
    summary: {
      vmaCount: vmas.length, maxMapCount: opts.maxMapCount ?? DEFAULT_MAX_MAP_COUNT,
      touchingPairs: pairs.length, suspectPairs: suspects, vmasIfMerged: vmas.length - suspects, byKind, regressionPairs: regression,
      mgVmas: mg, rssKb: sum((v) => v.rss), anonKb: sum((v) => v.anonymous), ksmKb: sum((v) => v.ksm),
    },
    ksmStat, softDirty: parsed.softDirty, reduced: parsed.reduced, regressionChapter: REGRESSION_CHAPTER, warnings, warningCount,
  };
}

/** Maximal runs of VMAs joined by suspect boundaries, largest first. */
function runsOf(vmas: SmapsVma[], pairs: Pair[], suspectAt: Uint8Array, reasons: Reason[], top: number): Run[] {
  const kindAt = new Map<number, PairKind>();
  for (const p of pairs) if (suspectAt[p.left]) kindAt.set(p.left, reasons[p.reason]!.kind);
  const runs: Run[] = [];
  let i = 0;
  while (i < vmas.length) {
    if (!suspectAt[i]) {
      i++;
      continue;
    }
    const first = i;
    const counts = new Map<PairKind, number>();
    while (i < vmas.length && suspectAt[i]) {
      const k = kindAt.get(i)!;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      i++;
    }
    const last = i;
    let kind: PairKind = "unknown";
    let best = -1;
    for (const [k, c] of counts) if (c > best) [kind, best] = [k, c];
    const f = vmas[first]!;
    runs.push({ first, last, start: f.start, end: vmas[last]!.end, vmas: last - first + 1, kind, name: f.name, perms: f.perms, vmflags: f.vmflags });
  }
  runs.sort((a, b) => b.vmas - a.vmas || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return runs.slice(0, top);
}
