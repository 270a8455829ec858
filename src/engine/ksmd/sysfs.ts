/**
 * /sys/kernel/mm/ksm/ (mm/ksm.c ksm_attrs[] and their _show()/_store()), /proc/PID/ksm_stat and
 * /proc/PID/ksm_merging_pages (fs/proc/base.c proc_pid_ksm_stat(), proc_pid_ksm_merging_pages()),
 * per kernel version.
 * @module
 */
import { KernelError } from "../errno.ts";
import { VM_MERGEABLE_LO } from "../flags.ts";
import type { Mm } from "../mm.ts";
import type { VersionProfile } from "../version.ts";
import { PAGE_SIZE } from "../uapi.ts";
import { RMAP_ITEM_SIZE, type KsmCtx } from "./state.ts";

/** The files of /sys/kernel/mm/ksm/ in `profile`, with the release that added each. */
export function sysfsFiles(profile: VersionProfile): string[] {
  const files = [
    "sleep_millisecs", "pages_to_scan", "run", "pages_shared", "pages_sharing", "pages_unshared", "pages_volatile",
    "full_scans", "merge_across_nodes", "max_page_sharing", "stable_node_chains", "stable_node_dups",
    "stable_node_chains_prune_millisecs", "use_zero_pages",
  ];
  if (profile.ksmProfit) files.push("general_profit");
  if (profile.ksmPagesScanned !== "none") files.push("pages_scanned");
  if (profile.ksmZeroPages) files.push("ksm_zero_pages");
  if (profile.ksmSmartScan) files.push("smart_scan", "pages_skipped");
  if (profile.ksmAdvisor) {
    files.push("advisor_mode", "advisor_max_cpu", "advisor_min_pages_to_scan", "advisor_max_pages_to_scan");
    files.push("advisor_target_scan_time");
  }
  return files;
}

const READ_ONLY = new Set([
  "pages_shared", "pages_sharing", "pages_unshared", "pages_volatile", "full_scans",
  "stable_node_chains", "stable_node_dups",
  "general_profit", "pages_scanned", "ksm_zero_pages", "pages_skipped",
]);

/** general_profit: (pages_sharing + ksm_zero_pages) * PAGE_SIZE - ksm_rmap_items * sizeof(struct ksm_rmap_item). */
export function generalProfit(k: KsmCtx): number {
  const zero = k.kernel.profile.ksmZeroPages ? k.c.zeroPages : 0;
  return (k.c.pagesSharing + zero) * PAGE_SIZE - k.c.rmapItems * RMAP_ITEM_SIZE;
}

/** The value a read of /sys/kernel/mm/ksm/NAME returns (without the newline). */
export function sysfsShow(k: KsmCtx, name: string): string {
  if (!sysfsFiles(k.kernel.profile).includes(name)) {
    const files = sysfsFiles(k.kernel.profile).join(", ");
    const v = k.kernel.profile.name;
    throw new KernelError("ENOENT", "open", `/sys/kernel/mm/ksm/${name} does not exist in ${v} (files: ${files})`);
  }
  const t = k.t;
  const c = k.c;
  switch (name) {
    case "pages_volatile":
      // Computed on read without locking; concealed when negative.
      return String(Math.max(0, c.rmapItems - c.pagesShared - c.pagesSharing - c.pagesUnshared));
    case "general_profit": return String(generalProfit(k));
    case "full_scans": return String(k.seqnr);
    case "pages_shared": return String(c.pagesShared);
    case "pages_sharing": return String(c.pagesSharing);
    case "pages_unshared": return String(c.pagesUnshared);
    case "stable_node_chains": return String(c.stableNodeChains);
    case "stable_node_dups": return String(c.stableNodeDups);
    case "pages_scanned": return String(c.pagesScanned);
    case "pages_skipped": return String(c.pagesSkipped);
    case "ksm_zero_pages": return String(c.zeroPages);
    case "use_zero_pages": return t.use_zero_pages ? "1" : "0";
    case "smart_scan": return t.smart_scan ? "1" : "0";
    case "advisor_mode": return t.advisor_mode === "scan-time" ? "none [scan-time]" : "[none] scan-time";
    default: return String(t[name as keyof typeof t]);
  }
}

/** kstrtouint()/kstrtoul(): decimal, optional "+", one trailing newline. */
export function parseUint(name: string, value: string, max = 0xffffffff): number {
  const m = /^\+?(\d+)\n?$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!m || n > max) throw new KernelError("EINVAL", "write",
    `/sys/kernel/mm/ksm/${name}: "${value.trim()}" is not an unsigned integer in range`);
  return n;
}

/** kstrtobool(): 1/y/Y/on and 0/n/N/off. */
export function parseBool(name: string, value: string): boolean {
  const v = value.replace(/\n$/, "");
  if (/^([1yY]|[oO][nN])/.test(v)) return true;
  if (/^([0nN]|[oO][fF])/.test(v)) return false;
  throw new KernelError("EINVAL", "write", `/sys/kernel/mm/ksm/${name}: "${v}" is not a boolean (1/0, y/n, on/off)`);
}

/** Check that NAME exists and is writable in this version. */
export function checkWritable(k: KsmCtx, name: string): void {
  if (!sysfsFiles(k.kernel.profile).includes(name)) {
    throw new KernelError("ENOENT", "open", `/sys/kernel/mm/ksm/${name} does not exist in ${k.kernel.profile.name}`);
  }
  if (READ_ONLY.has(name)) throw new KernelError("EACCES", "open",
    `/sys/kernel/mm/ksm/${name} is read-only (mode 0444)`);
}

/** /proc/PID/ksm_stat: the lines of this version, in fs/proc/base.c order. */
export function procKsmStat(k: KsmCtx, mm: Mm): string {
  const v = k.kernel.profile;
  const s = k.mmKsm(mm);
  let out = `ksm_rmap_items ${s.rmapItems}\n`; // cb4df4cae4f2, 6.1
  if (v.ksmZeroPages) out += `ksm_zero_pages ${s.zeroPages}\n`;
  if (v.ksmProfit) {
    out += `ksm_merging_pages ${s.merging}\n`;
    const zero = v.ksmZeroPages ? s.zeroPages : 0;
    out += `ksm_process_profit ${(s.merging + zero) * PAGE_SIZE - s.rmapItems * RMAP_ITEM_SIZE}\n`;
  }
  if (v.ksmStatMergeAny) {
    // ksm_process_mergeable(): any VMA with VM_MERGEABLE.
    let mergeable = false;
    for (const v of mm.tree) if (v.flagsLo & VM_MERGEABLE_LO) { mergeable = true; break; }
    out += `ksm_merge_any: ${mm.mergeAny ? "yes" : "no"}\nksm_mergeable: ${mergeable ? "yes" : "no"}\n`;
  }
  return out;
}
