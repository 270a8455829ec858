/**
 * Runs a tests/ksm scenario on the engine and takes the same snapshots as the kernel runner.
 */
import {
  boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_DONTNEED, MADV_NOHUGEPAGE,
  PR_SET_MEMORY_MERGE,
  type Kernel, type Process,
} from "mergeable";
import type { KsmScenario } from "./scenarios.ts";

/** The sysfs counters compared with the kernel (pages_scanned/pages_skipped as deltas from the start). */
export const COUNTERS = [
  "full_scans", "pages_shared", "pages_sharing", "pages_unshared", "pages_volatile", "ksm_zero_pages",
  "general_profit", "stable_node_chains", "stable_node_dups", "pages_scanned", "pages_skipped",
] as const;

export interface Snapshot {
  label: string;
  sysfs: Record<string, number>;
  /** Per process (scenario order): /proc/PID/ksm_stat lines and ksm_merging_pages. */
  procs: Record<string, string>[];
}

/** "ksm_rmap_items 3\nksm_merge_any: no\n" → { ksm_rmap_items: "3", ksm_merge_any: "no" }. */
export function parseKsmStat(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^(\w+):?\s+(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export const ADVICE = { merge: MADV_MERGEABLE, unmerge: MADV_UNMERGEABLE, dontneed: MADV_DONTNEED } as const;

export function runOnEngine(s: KsmScenario, version: string): { snapshots: Snapshot[]; kernel: Kernel } {
  const kernel = boot({ version, config: { softDirty: false } });
  const k = kernel.ksmd;
  // The same tunables as the kernel run (tests/ksm/kernel-runner.ts).
  kernel.writeSysfs("pages_to_scan", 1_000_000);
  kernel.writeSysfs("sleep_millisecs", 300);
  const procs: Process[] = [];
  const regions: number[] = [];
  const snapshots: Snapshot[] = [];
  for (const o of s.ops) {
    switch (o.op) {
      case "tunable": kernel.writeSysfs(o.name, o.value); break;
      case "spawn": procs.push(kernel.spawn()); break;
      case "map": {
        const p = procs[o.proc]!;
        const a = p.mmap(0, o.pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        p.madvise(a, o.pages * PAGE_SIZE, MADV_NOHUGEPAGE);
        regions[o.proc] = a;
        break;
      }
      case "fill": procs[o.proc]!.memset(regions[o.proc]! + o.page * PAGE_SIZE, o.byte, o.count * PAGE_SIZE); break;
      case "madv": procs[o.proc]!.madvise(regions[o.proc]! + o.page * PAGE_SIZE, o.count * PAGE_SIZE, ADVICE[o.advice]); break;
      case "fork": regions[procs.length] = regions[o.proc]!; procs.push(procs[o.proc]!.fork()); break;
      case "prctl": procs[o.proc]!.prctl(PR_SET_MEMORY_MERGE, o.value); break;
      case "unmerge-all": {
        // As the helper does: every VMA whose VmFlags show mg.
        const p = procs[o.proc]!;
        for (const v of p.vmas()) if (v.vmflags.split(" ").includes("mg")) p.madvise(v.start, v.end - v.start, MADV_UNMERGEABLE);
        break;
      }
      case "exec": procs[o.proc]!.execve(); break;
      case "scan":
        kernel.writeSysfs("run", 1);
        k.runFullScans(o.n);
        kernel.writeSysfs("run", 0);
        break;
      case "check": {
        const sysfs: Record<string, number> = {};
        for (const f of COUNTERS) sysfs[f] = Number(kernel.sysfs(f));
        snapshots.push({ label: o.label, sysfs, procs: procs.map((p) => ({ ...parseKsmStat(p.ksm_stat()), merging_pages_file: p.ksm_merging_pages().trim() })) });
        break;
      }
    }
  }
  return { snapshots, kernel };
}
