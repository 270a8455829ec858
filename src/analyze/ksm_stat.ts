/**
 * /proc/PID/ksm_stat (fs/proc/base.c proc_pid_ksm_stat(), 6.1+; merging_pages 6.6+, merge_any and
 * mergeable lines 6.7+): "name value" lines, some with a colon.
 * @module
 */
import { KSM_STAT_HINT, SmapsInputError } from "./input_error.ts";
import { quote } from "./printable.ts";

export interface KsmStat {
  rmapItems: number | null;
  zeroPages: number | null;
  mergingPages: number | null;
  processProfit: number | null;
  /** MMF_VM_MERGE_ANY: prctl(PR_SET_MEMORY_MERGE, 1) is on. */
  mergeAny: boolean | null;
  /** MMF_VM_MERGEABLE: the mm is on ksmd's list. */
  mergeable: boolean | null;
  /** Every line, as given. */
  raw: Record<string, string>;
}

export function parseKsmStat(text: string): KsmStat {
  const raw: Record<string, string> = {};
  const bad = (problem: string) => new SmapsInputError("not-smaps", problem, null, KSM_STAT_HINT, "ksm_stat");
  if (text.indexOf("\0") >= 0) throw bad("the ksm_stat input contains NUL bytes: it is binary data, not the text of a /proc file.");
  for (const line of text.split("\n")) {
    const m = /^\s*(ksm_[a-z_]+):?\s+(\S+)\s*$/.exec(line);
    if (m) raw[m[1]!] = m[2]!;
    else if (line.trim()) {
      throw bad(`"${quote(line)}" is not a ksm_stat line ("ksm_rmap_items 12", "ksm_merge_any: yes").`);
    }
  }
  if (!("ksm_rmap_items" in raw)) throw bad("this is not /proc/PID/ksm_stat: it has no ksm_rmap_items line.");
  const num = (k: string) => (k in raw && /^-?\d+$/.test(raw[k]!) ? Number(raw[k]) : null);
  const yes = (k: string) => (k in raw ? raw[k] === "yes" : null);
  return {
    rmapItems: num("ksm_rmap_items"), zeroPages: num("ksm_zero_pages"), mergingPages: num("ksm_merging_pages"),
    processProfit: num("ksm_process_profit"), mergeAny: yes("ksm_merge_any"), mergeable: yes("ksm_mergeable"), raw,
  };
}
