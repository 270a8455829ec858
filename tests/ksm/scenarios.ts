/**
 * KSM page-content scenarios that run both on the engine and on the real kernel
 * (tests/ksm/kernel.test.ts), as a list of operations. A "check" takes a snapshot of the
 * counters a kernel developer reads; the two runs must produce the same snapshots.
 */

export type Op =
  | { op: "tunable"; name: string; value: number }
  | { op: "spawn" }
  | { op: "map"; proc: number; pages: number }
  | { op: "fill"; proc: number; page: number; count: number; byte: number }
  | { op: "madv"; proc: number; page: number; count: number; advice: "merge" | "unmerge" | "dontneed" }
  | { op: "fork"; proc: number }
  | { op: "prctl"; proc: number; value: 0 | 1 }
  | { op: "unmerge-all"; proc: number }
  | { op: "exec"; proc: number }
  | { op: "scan"; n: number }
  | { op: "check"; label: string };

export interface KsmScenario {
  name: string;
  ops: Op[];
}

/** n pages of process `proc` filled with `distinct` contents in turn (bytes 1..distinct). */
function pattern(proc: number, n: number, distinct: number): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) ops.push({ op: "fill", proc, page: i, count: 1, byte: 1 + (i % distinct) });
  return ops;
}

export const SCENARIOS: KsmScenario[] = [
  {
    name: "256 pages with 4 distinct contents merge into 4 KSM pages on the second scan",
    ops: [
      { op: "spawn" }, { op: "map", proc: 0, pages: 256 }, ...pattern(0, 256, 4),
      { op: "madv", proc: 0, page: 0, count: 256, advice: "merge" },
      { op: "scan", n: 1 }, { op: "check", label: "after 1 scan: checksums recorded, nothing merged" },
      { op: "scan", n: 1 }, { op: "check", label: "after 2 scans: merged" },
      { op: "scan", n: 1 }, { op: "check", label: "after 3 scans: steady" },
    ],
  },
  {
    name: "a write to a merged page breaks sharing; the counters change at the next scan",
    ops: [
      { op: "spawn" }, { op: "map", proc: 0, pages: 64 }, ...pattern(0, 64, 2),
      { op: "madv", proc: 0, page: 0, count: 64, advice: "merge" },
      { op: "scan", n: 2 }, { op: "check", label: "merged" },
      { op: "fill", proc: 0, page: 0, count: 1, byte: 0x77 },
      { op: "fill", proc: 0, page: 1, count: 1, byte: 0x78 },
      { op: "check", label: "right after the writes" },
      { op: "scan", n: 1 }, { op: "check", label: "one scan after the writes" },
      { op: "scan", n: 1 }, { op: "check", label: "two scans after the writes" },
    ],
  },
  {
    name: "MADV_UNMERGEABLE unmerges at once; ksmd drops the rmap_items at its next pass",
    ops: [
      { op: "spawn" }, { op: "map", proc: 0, pages: 64 }, ...pattern(0, 64, 3),
      { op: "madv", proc: 0, page: 0, count: 64, advice: "merge" },
      { op: "scan", n: 2 }, { op: "check", label: "merged" },
      { op: "madv", proc: 0, page: 0, count: 32, advice: "unmerge" },
      { op: "check", label: "right after MADV_UNMERGEABLE of half" },
      { op: "scan", n: 1 }, { op: "check", label: "one scan later" },
      { op: "madv", proc: 0, page: 32, count: 32, advice: "unmerge" },
      { op: "scan", n: 1 }, { op: "check", label: "all unmergeable, one scan later: the mm slot is gone" },
    ],
  },
  {
    name: "use_zero_pages=1: zero-filled pages map the zero page, ksm_zero_pages changes at once",
    ops: [
      { op: "tunable", name: "use_zero_pages", value: 1 },
      { op: "spawn" }, { op: "map", proc: 0, pages: 64 },
      { op: "fill", proc: 0, page: 0, count: 48, byte: 0 }, ...pattern(0, 16, 1).map((o) => ({ ...o, page: (o as { page: number }).page + 48 }) as Op),
      { op: "madv", proc: 0, page: 0, count: 64, advice: "merge" },
      { op: "scan", n: 2 }, { op: "check", label: "merged: 48 zero pages, 16 equal pages" },
      { op: "scan", n: 1 }, { op: "check", label: "one more scan: the zero-page rmap_items are freed" },
      { op: "fill", proc: 0, page: 0, count: 1, byte: 5 },
      { op: "check", label: "right after a write to a zero page" },
      { op: "madv", proc: 0, page: 8, count: 8, advice: "unmerge" },
      { op: "check", label: "right after MADV_UNMERGEABLE of 8 zero pages" },
      { op: "madv", proc: 0, page: 16, count: 8, advice: "dontneed" },
      { op: "check", label: "right after MADV_DONTNEED of 8 zero pages" },
      { op: "scan", n: 1 }, { op: "check", label: "one scan later" },
    ],
  },
  {
    name: "two processes with the same contents share KSM pages",
    ops: [
      { op: "spawn" }, { op: "spawn" },
      { op: "map", proc: 0, pages: 40 }, { op: "map", proc: 1, pages: 40 },
      ...pattern(0, 40, 5), ...pattern(1, 40, 8),
      { op: "madv", proc: 0, page: 0, count: 40, advice: "merge" },
      { op: "madv", proc: 1, page: 0, count: 40, advice: "merge" },
      { op: "scan", n: 2 }, { op: "check", label: "merged across processes" },
      { op: "fill", proc: 1, page: 0, count: 40, byte: 0x55 },
      { op: "scan", n: 1 }, { op: "check", label: "process 1 rewrote all its pages" },
      { op: "scan", n: 1 }, { op: "check", label: "and merged them again among themselves" },
    ],
  },
  {
    name: "max_page_sharing=4: full KSM pages become dups of a stable_node chain",
    ops: [
      { op: "tunable", name: "max_page_sharing", value: 4 },
      { op: "spawn" }, { op: "map", proc: 0, pages: 30 }, ...pattern(0, 30, 1),
      { op: "madv", proc: 0, page: 0, count: 30, advice: "merge" },
      { op: "scan", n: 2 }, { op: "check", label: "2 scans" },
      { op: "scan", n: 1 }, { op: "check", label: "3 scans" },
      { op: "scan", n: 2 }, { op: "check", label: "5 scans" },
    ],
  },
  {
    name: "fork: the child maps the parent's KSM pages; 6.18 starts its counters at 0",
    ops: [
      { op: "spawn" }, { op: "map", proc: 0, pages: 32 }, ...pattern(0, 32, 2),
      { op: "madv", proc: 0, page: 0, count: 32, advice: "merge" },
      { op: "scan", n: 2 }, { op: "check", label: "parent merged" },
      { op: "fork", proc: 0 },
      { op: "check", label: "right after fork" },
      { op: "scan", n: 1 }, { op: "check", label: "the child's scan found the KSM pages" },
    ],
  },
  {
    // scan_get_next_rmap_item() drops the slot of an mm with no VM_MERGEABLE VMA; ksm_stat's
    // ksm_merge_any then says whether MMF_VM_MERGE_ANY survived (590c03ca6a3f keeps it).
    name: "merge-any, every VMA opted out again: ksmd drops the mm's slot; MMF_VM_MERGE_ANY stays from 590c03ca6a3f",
    ops: [
      { op: "spawn" }, { op: "prctl", proc: 0, value: 1 }, { op: "check", label: "merge-any on" },
      { op: "unmerge-all", proc: 0 }, { op: "check", label: "every VMA opted out" },
      { op: "scan", n: 1 }, { op: "check", label: "after ksmd's full scan" },
      // A new mapping gets VM_MERGEABLE again from ksm_vma_flags(); with 590c03ca6a3f the mm is back on ksmd's list and merges.
      { op: "map", proc: 0, pages: 8 }, ...pattern(0, 8, 1),
      { op: "scan", n: 2 }, { op: "check", label: "a new mapping after the drop, two scans later" },
    ],
  },
  {
    // 6.18.3+ (590c03ca6a3f): after ksmd dropped the slot, MMF_VM_MERGE_ANY is still there for fork
    // (MMF_INIT_MASK) and exec (ksm_execve() re-registers); 6.18.0-6.18.2 had already cleared it.
    name: "merge-any after ksmd dropped the slot: a fork and an exec still inherit MMF_VM_MERGE_ANY (590c03ca6a3f, 6.18.3)",
    ops: [
      { op: "spawn" }, { op: "prctl", proc: 0, value: 1 }, { op: "unmerge-all", proc: 0 },
      { op: "scan", n: 1 }, { op: "check", label: "after ksmd dropped the slot" },
      { op: "fork", proc: 0 }, { op: "check", label: "the child forked after the drop" },
      { op: "exec", proc: 0 }, { op: "check", label: "the parent after execve()" },
    ],
  },
];
