/**
 * The analysis as plain text: the CLI prints it, the page offers it to screen readers.
 * Consecutive pairs with the same reason are grouped, so a 40,000-VMA run is one entry.
 * @module
 */
import type { Analysis, Pair } from "./analyze.ts";
import type { PairKind, Reason } from "./explain.ts";
import type { SmapsVma } from "./smaps.ts";

export const KIND_LABEL: Record<PairKind, string> = {
  special: "VM_SPECIAL (never merges)",
  flags: "flags differ",
  file: "different files",
  "anon-name": "different anon names",
  pgoff: "file offsets not contiguous",
  "ksm-regression": "PR_SET_MEMORY_MERGE regression",
  "ksm-late-file": "merge-any late flag (legacy .mmap file)",
  "anon-vma": "identical anonymous: different anon_vmas",
  "file-struct": "identical file mappings: two struct files",
  unknown: "unexplained",
};

const hex = (n: bigint) => n.toString(16);
const num = (n: number) => n.toLocaleString("en-US");
const range = (v: SmapsVma) => `${hex(v.start)}-${hex(v.end)}`;
const describeVma = (v: SmapsVma) => `${range(v)} ${v.perms}${v.name ? " " + v.name : ""} [${v.vmflags}]`;

/** A group of consecutive pairs (each sharing a VMA with the next) that have the same reason. */
export interface PairGroup {
  pairs: Pair[];
  reason: Reason;
}

/** Group consecutive pairs that chain (left+1 === next.left) and share a reason. */
export function groupPairs(a: Analysis): PairGroup[] {
  const out: PairGroup[] = [];
  for (const p of a.pairs) {
    const g = out[out.length - 1];
    const last = g?.pairs[g.pairs.length - 1];
    if (g && last && last.left + 1 === p.left && last.reason === p.reason) g.pairs.push(p);
    else out.push({ pairs: [p], reason: a.reasons[p.reason]! });
  }
  return out;
}

export interface ReportOptions {
  /** Most pair entries to list (groups count as one); default 200, Infinity for all. */
  maxEntries?: number;
  /** Show each pair instead of grouping consecutive ones. */
  ungrouped?: boolean;
}

export function formatReport(a: Analysis, opts: ReportOptions = {}): string {
  const s = a.summary;
  const out: string[] = [];
  const k = a.kernel;
  out.push(`Address-space analysis of ${a.source}`);
  out.push(k.known
    ? `Kernel: ${k.profile} rules${k.given && k.given !== k.profile ? ` (${k.given}${k.source ? `, from ${k.source}` : ""})` : k.source ? ` (from ${k.source})` : ""}`
    : `Kernel: unknown — ${k.profile} rules applied; version-dependent patterns are stated conditionally (pass --kernel 6.x)`);
  const pct = s.maxMapCount > 0 ? ` (${((100 * s.vmaCount) / s.maxMapCount).toFixed(1)}%)` : "";
  out.push(`VMAs: ${num(s.vmaCount)} of vm.max_map_count ${num(s.maxMapCount)}${pct}${a.gate.length ? `; the gate VMA ${a.gate.map((g) => g.name || range(g)).join(", ")} is not counted` : ""}`);
  if (a.warningCount) {
    out.push(`Warnings: ${num(a.warningCount)} part${a.warningCount === 1 ? "" : "s"} of the input ${a.warningCount === 1 ? "is" : "are"} not as the kernel prints ${a.warningCount === 1 ? "it" : "them"}:`);
    for (const w of a.warnings) out.push(`  ${w.line !== null ? `line ${num(w.line)}: ` : ""}${w.text}`);
    if (a.warningCount > a.warnings.length) out.push(`  ... and ${num(a.warningCount - a.warnings.length)} more`);
  }
  out.push(`Touching pairs that did not merge: ${num(s.touchingPairs)}`);
  const kinds = (Object.entries(s.byKind) as [PairKind, number][]).sort((x, y) => y[1] - x[1]);
  for (const [kind, n] of kinds) out.push(`  ${KIND_LABEL[kind].padEnd(44)} ${num(n).padStart(8)}`);
  out.push(s.suspectPairs
    ? `If every pair whose visible attributes allow a merge merged: ${num(s.vmasIfMerged)} VMAs would remain (${num(s.suspectPairs)} fewer).`
    : `No pair has attributes that allow a merge: every split is explained by what smaps shows.`);
  if (s.regressionPairs) {
    out.push(`PR_SET_MEMORY_MERGE regression pattern: ${num(s.regressionPairs)} pairs of touching mg VMAs with identical flags. See the chapter "The regression": ${a.regressionChapter}`);
  }
  if (a.runs.length) {
    out.push("", "Largest runs of fragmentation (VMAs that visible attributes would let merge):");
    a.runs.forEach((r, i) => {
      out.push(`  ${i + 1}. ${hex(r.start)}-${hex(r.end)}: ${num(r.vmas)} VMAs, ${r.perms}${r.name ? " " + r.name : " anonymous"} [${r.vmflags}]: ${KIND_LABEL[r.kind]}`);
    });
  }
  out.push("", ksmLine(a));
  const unknowable = [...new Set(a.pairs.map((p) => a.reasons[p.reason]!).filter((r) => r.suspect && r.unknowable).map((r) => r.unknowable))];
  if (unknowable.length) out.push("", "What smaps cannot show:", ...unknowable.map((u) => `  ${u}`));

  out.push("", "Unmerged pairs (left VMA / right VMA: why they are two):");
  if (!a.pairs.length) out.push("  none: no two VMAs touch.");
  const groups = opts.ungrouped ? a.pairs.map((p) => ({ pairs: [p], reason: a.reasons[p.reason]! })) : groupPairs(a);
  const max = opts.maxEntries ?? 200;
  groups.slice(0, max).forEach((g) => {
    const first = a.vmas[g.pairs[0]!.left]!;
    const last = a.vmas[g.pairs[g.pairs.length - 1]!.left + 1]!;
    if (g.pairs.length === 1) {
      out.push(`  at ${hex(first.end)}: ${describeVma(first)}`, `  ${" ".repeat(hex(first.end).length + 4)}${describeVma(last)}`);
    } else {
      out.push(`  ${hex(first.start)}-${hex(last.end)}: ${num(g.pairs.length + 1)} touching VMAs, ${num(g.pairs.length)} boundaries with the same reason; first ${describeVma(first)}`);
    }
    out.push(`    ${KIND_LABEL[g.reason.kind]}: ${g.reason.text}`);
    if (g.reason.kernelCheck) out.push(`    ${g.reason.fn}: ${g.reason.kernelCheck}`);
  });
  if (groups.length > max) out.push(`  ... ${num(groups.length - max)} more entries (npx mergeable analyze ... --all lists them all)`);
  return out.join("\n") + "\n";
}

function ksmLine(a: Analysis): string {
  const s = a.summary;
  const parts = [`KSM: ${num(s.mgVmas)} of ${num(s.vmaCount)} VMAs have mg (VM_MERGEABLE)`];
  if (s.ksmKb !== null) parts.push(`smaps KSM: ${num(s.ksmKb)} kB`);
  if (s.anonKb !== null) parts.push(`Anonymous: ${num(s.anonKb)} kB`);
  const k = a.ksmStat;
  if (k) {
    const f: string[] = [];
    if (k.mergeAny !== null) f.push(`merge_any ${k.mergeAny ? "yes (prctl(PR_SET_MEMORY_MERGE, 1))" : "no"}`);
    if (k.mergeable !== null) f.push(`mergeable ${k.mergeable ? "yes" : "no"}`);
    if (k.mergingPages !== null) f.push(`merging_pages ${num(k.mergingPages)}`);
    if (k.zeroPages !== null) f.push(`zero_pages ${num(k.zeroPages)}`);
    if (k.rmapItems !== null) f.push(`rmap_items ${num(k.rmapItems)}`);
    if (k.processProfit !== null) f.push(`process_profit ${num(k.processProfit)} bytes`);
    parts.push(`ksm_stat: ${f.join(", ")}`);
  }
  return parts.join("; ") + ".";
}
