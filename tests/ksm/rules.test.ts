/**
 * One test per ksmd rule (mm/ksm.c), on tiny address spaces. Each names the kernel function and
 * the versions where the rule holds.
 */
import { describe, expect, it } from "vitest";
import {
  PAGE_SIZE, MADV_MERGEABLE, MADV_UNMERGEABLE, MAP_SHARED, MAP_ANONYMOUS, PROT_READ, PROT_WRITE, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE, KernelError,
} from "mergeable";
import { anon, counters, fill, kernelAt, ksmStat, mergeableArea, startKsmd } from "./helpers.ts";

describe("cmp_and_merge_page(): the checksum must be stable across two visits", () => {
  it("4 identical pages: nothing after 1 scan, 1 KSM page shared by 4 after 2", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 4, () => 7);
    startKsmd(k);
    k.ksmd.runFullScans(1);
    expect(counters(k, "pages_shared", "pages_sharing", "pages_volatile")).toEqual({ pages_shared: 0, pages_sharing: 0, pages_volatile: 4 });
    k.ksmd.runFullScans(1);
    expect(counters(k, "pages_shared", "pages_sharing", "pages_volatile")).toEqual({ pages_shared: 1, pages_sharing: 3, pages_volatile: 0 });
    expect(p.ksm_merging_pages()).toBe("4\n");
  });

  it.each([["6.10", 2], ["6.11", 1]])("%s: a new page equal to a KSM page merges on its first visit only before d58a361b0350 (6.11)", (v, expected) => {
    const k = kernelAt(v);
    const p = k.spawn();
    const a = anon(p, 3);
    fill(p, a, 2, () => 7);
    p.madvise(a, 3 * PAGE_SIZE, MADV_MERGEABLE);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    p.memset(a + 2 * PAGE_SIZE, 7, PAGE_SIZE);
    k.ksmd.runFullScans(1);
    expect(Number(k.sysfs("pages_sharing"))).toBe(expected);
  });
});

describe("the unstable tree (unstable_tree_search_insert(), flushed by scan_get_next_rmap_item() at each full scan)", () => {
  it("a lone stable page waits in the unstable tree; a partner written later merges one scan after its own checksum settles", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = anon(p, 2);
    p.memset(a, 9, PAGE_SIZE);
    p.madvise(a, 2 * PAGE_SIZE, MADV_MERGEABLE);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(counters(k, "pages_unshared", "pages_volatile")).toEqual({ pages_unshared: 1, pages_volatile: 0 });
    p.memset(a + PAGE_SIZE, 9, PAGE_SIZE);
    k.ksmd.runFullScans(1);
    expect(counters(k, "pages_shared", "pages_unshared", "pages_volatile")).toEqual({ pages_shared: 0, pages_unshared: 1, pages_volatile: 1 });
    k.ksmd.runFullScans(1);
    expect(counters(k, "pages_shared", "pages_sharing", "pages_unshared")).toEqual({ pages_shared: 1, pages_sharing: 1, pages_unshared: 0 });
  });
});

describe("ksm_do_scan() batches and virtual time", () => {
  it("a batch examines pages_to_scan pages and always ends with the full scan", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 25, (i) => i + 1);
    k.writeSysfs("pages_to_scan", 10);
    k.writeSysfs("run", 1);
    expect([k.ksmd.scanBatch(), k.ksmd.scanBatch(), k.ksmd.scanBatch()]).toEqual([10, 10, 5]);
    expect(k.sysfs("full_scans")).toBe("1");
    expect(k.ksmd.scanBatch()).toBe(10);
  });

  it("runFor(): one batch every sleep_millisecs while there is work", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 25, (i) => i + 1);
    k.writeSysfs("pages_to_scan", 10);
    k.writeSysfs("run", 1);
    expect(k.ksmd.runFor(100)).toBe(6); // t = 0, 20, 40, 60, 80, 100
    expect(k.ksmd.now).toBe(100);
    expect(k.sysfs("full_scans")).toBe("2");
    k.writeSysfs("run", 0);
    expect(k.ksmd.runFor(1000)).toBe(0);
  });

  it("__ksm_enter() links a new mm behind the cursor: it is first scanned in the next full scan", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 20, () => 1);
    k.writeSysfs("pages_to_scan", 10);
    k.writeSysfs("run", 1);
    k.ksmd.scanBatch(); // mid-scan in p
    const q = k.spawn();
    const b = anon(q, 5);
    fill(q, b, 5, () => 2);
    q.madvise(b, 5 * PAGE_SIZE, MADV_MERGEABLE);
    k.ksmd.runFullScans(1); // the rest of scan 1: q is behind the cursor
    expect(ksmStat(q).ksm_rmap_items).toBe("0");
    k.ksmd.runFullScans(1);
    expect(ksmStat(q).ksm_rmap_items).toBe("5");
  });

  it("runFullScans() refuses when ksmd cannot run", () => {
    const k = kernelAt("6.18");
    expect(() => k.ksmd.runFullScans(1)).toThrow(/run=0/);
    k.writeSysfs("run", 1);
    expect(() => k.ksmd.runFullScans(1)).toThrow(/no mm is registered/);
  });
});

describe("max_page_sharing and stable_node chains (stable_tree_insert(), stable_node_dup())", () => {
  it("30 equal pages with max_page_sharing=4: 8 KSM pages as dups of one chain (same as 6.18 live)", () => {
    const k = kernelAt("6.18");
    k.writeSysfs("max_page_sharing", 4);
    const p = k.spawn();
    const a = mergeableArea(p, 30, () => 1);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(counters(k, "pages_shared", "pages_sharing", "stable_node_chains", "stable_node_dups")).toEqual({ pages_shared: 8, pages_sharing: 22, stable_node_chains: 1, stable_node_dups: 8 });
  });

  it("max_page_sharing cannot change while KSM pages exist (EBUSY) and must be >= 2 (EINVAL)", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 2, () => 1);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(() => k.writeSysfs("max_page_sharing", 8)).toThrow(expect.objectContaining({ errno: "EBUSY" }));
    expect(() => k.writeSysfs("max_page_sharing", 1)).toThrow(expect.objectContaining({ errno: "EINVAL" }));
    k.writeSysfs("run", 2);
    k.writeSysfs("max_page_sharing", 8);
    expect(k.sysfs("max_page_sharing")).toBe("8");
  });
});

describe("copy-on-write on a KSM page (do_wp_page()) and lazy counters", () => {
  it("a write gets a private copy at once; pages_sharing drops only at ksmd's next pass", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 3, () => 1);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    p.poke(a, 42);
    const ev = k.trace.at(-1)!.events.map((e) => e.text).join("\n");
    expect(ev).toMatch(/write broke sharing of KSM page #\d+/);
    expect(p.peek(a)).not.toBe(p.peek(a + PAGE_SIZE));
    expect(counters(k, "pages_shared", "pages_sharing")).toEqual({ pages_shared: 1, pages_sharing: 2 });
    k.ksmd.runFullScans(1);
    expect(counters(k, "pages_shared", "pages_sharing", "pages_volatile")).toEqual({ pages_shared: 1, pages_sharing: 1, pages_volatile: 1 });
  });

  it("ksmd's trace names the merge: page 0x... merged into KSM page #N", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 2, () => 1);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    const texts = k.trace.at(-1)!.events.map((e) => e.text);
    expect(texts.some((t) => /^page 0x[0-9a-f]+ \(pid \d+\) merged into KSM page #\d+/.test(t))).toBe(true);
  });
});

describe("use_zero_pages and ksm_zero_pages (ksm_map_zero_page(), ksm_might_unmap_zero_page(); counted 6.6+)", () => {
  it("6.18: zero pages map the zero page, counted at once; a write uncounts at once", () => {
    const k = kernelAt("6.18");
    k.writeSysfs("use_zero_pages", 1);
    const p = k.spawn();
    const a = mergeableArea(p, 4, () => 0);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(counters(k, "ksm_zero_pages", "pages_shared", "pages_sharing")).toEqual({ ksm_zero_pages: 4, pages_shared: 0, pages_sharing: 0 });
    expect(ksmStat(p).ksm_zero_pages).toBe("4");
    p.poke(a, 1);
    expect(k.sysfs("ksm_zero_pages")).toBe("3");
    p.madvise(a, 4 * PAGE_SIZE, MADV_UNMERGEABLE);
    expect(k.sysfs("ksm_zero_pages")).toBe("0");
  });

  it("6.4: merged with the zero page but not counted, and MADV_UNMERGEABLE leaves them mapped", () => {
    const k = kernelAt("6.4");
    k.writeSysfs("use_zero_pages", 1);
    const p = k.spawn();
    const a = mergeableArea(p, 4, () => 0);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(() => k.sysfs("ksm_zero_pages")).toThrow(expect.objectContaining({ errno: "ENOENT" }));
    p.madvise(a, 4 * PAGE_SIZE, MADV_UNMERGEABLE);
    expect(p.mm.ptes.get(a / PAGE_SIZE)!.zero).toBe(true);
  });

  it.each([["6.10", "cmp_and_merge_page"], ["6.11", "try_to_merge_with_zero_page"]])(
    "%s: the trace names %s() for a zero-page merge (a function of its own from 6.11)",
    (version, fn) => {
      const k = kernelAt(version);
      k.writeSysfs("use_zero_pages", 1);
      mergeableArea(k.spawn(), 2, () => 0);
      startKsmd(k);
      k.ksmd.runFullScans(2);
      const zero = k.trace.flatMap((s) => s.events).filter((e) => /shared zero page/.test(e.text));
      expect(zero.map((e) => e.fn)).toEqual([fn, fn]);
    },
  );

  it("use_zero_pages=0: zero-filled pages merge into one KSM page like any other contents", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 4, () => 0);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(counters(k, "ksm_zero_pages", "pages_shared", "pages_sharing")).toEqual({ ksm_zero_pages: 0, pages_shared: 1, pages_sharing: 3 });
  });
});

describe("run=2: unmerge_and_remove_all_rmap_items()", () => {
  it("breaks every KSM page, frees all rmap_items and stable nodes, resets full_scans; the mm stays registered", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 4, () => 3);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    k.writeSysfs("run", 2);
    expect(counters(k, "pages_shared", "pages_sharing", "pages_volatile", "full_scans")).toEqual({ pages_shared: 0, pages_sharing: 0, pages_volatile: 0, full_scans: 0 });
    expect(p.mm.ptes.get(a / PAGE_SIZE)!.ksm).toBe(false);
    expect(p.mm.ksmRegistered).toBe(true);
    k.writeSysfs("run", 1);
    k.ksmd.runFullScans(2);
    expect(k.sysfs("pages_sharing")).toBe("3");
  });
});

describe("registration: which mms and VMAs ksmd scans", () => {
  it("incompatible VMAs (MAP_SHARED) are silently not marked and never scanned", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = p.mmap(0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    fill(p, a, 2, () => 1);
    expect(p.madvise(a, 2 * PAGE_SIZE, MADV_MERGEABLE)).toBe(0);
    const b = anon(p, 1);
    p.memset(b, 1, PAGE_SIZE);
    p.madvise(b, PAGE_SIZE, MADV_MERGEABLE);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(ksmStat(p).ksm_rmap_items).toBe("1");
  });

  it("prctl(PR_SET_MEMORY_MERGE, 0) unmerges; ksmd then drops the slot", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    p.prctl(PR_SET_MEMORY_MERGE, 1);
    const a = anon(p, 4);
    fill(p, a, 4, () => 5);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(Number(k.sysfs("pages_sharing"))).toBeGreaterThanOrEqual(3);
    p.prctl(PR_SET_MEMORY_MERGE, 0);
    expect(p.mm.ptes.get(a / PAGE_SIZE)!.ksm).toBe(false);
    k.ksmd.runFullScans(1);
    expect(counters(k, "pages_shared", "pages_sharing")).toEqual({ pages_shared: 0, pages_sharing: 0 });
    expect(p.mm.ksmRegistered).toBe(false);
  });

  it.each([["6.4", 0], ["6.17", 0], ["6.18.2", 0], ["6.18.3", 1]] as const)(
    "%s: ksmd drops a merge-any mm with no VM_MERGEABLE VMA; PR_GET_MEMORY_MERGE is then %i (590c03ca6a3f, 6.18.3, keeps MMF_VM_MERGE_ANY)",
    (version, after) => {
      const k = kernelAt(version);
      const p = k.spawn();
      p.prctl(PR_SET_MEMORY_MERGE, 1);
      for (const v of p.vmas()) p.madvise(v.start, v.end - v.start, MADV_UNMERGEABLE);
      startKsmd(k);
      k.ksmd.runFullScans(1);
      expect(p.mm.ksmRegistered).toBe(false);
      expect(p.prctl(PR_GET_MEMORY_MERGE)).toBe(after);
      // ksm_vma_flags() marks the next mapping only while merge-any holds, and (590c03ca6a3f) re-registers the mm.
      anon(p, 1);
      expect(p.mm.ksmRegistered).toBe(after === 1);
    },
  );

  it("__ksm_exit(): an exited process's counters drop when ksmd reaches its slot", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 4, () => 5);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    p.exit();
    expect(k.sysfs("pages_sharing")).toBe("3");
    k.ksmd.runFullScans(1);
    expect(counters(k, "pages_shared", "pages_sharing", "pages_volatile")).toEqual({ pages_shared: 0, pages_sharing: 0, pages_volatile: 0 });
  });
});

describe("smart scan (should_skip_rmap_item(), 6.7+)", () => {
  const visits = (v: string) => {
    const k = kernelAt(v);
    const p = k.spawn();
    const a = anon(p, 1);
    p.memset(a, 1, PAGE_SIZE); // a lone page never merges
    p.madvise(a, PAGE_SIZE, MADV_MERGEABLE);
    startKsmd(k);
    const seen: number[] = [];
    for (let s = 1; s <= 14; s++) {
      const before = Number(k.sysfs("pages_scanned"));
      k.ksmd.runFullScans(1);
      if (Number(k.sysfs("pages_scanned")) > before) seen.push(s);
    }
    return { seen, k };
  };
  it("6.18: a page that never merges is examined on scans 1, 2, 3, 4, 6, 9, 14", () => {
    const { seen, k } = visits("6.18");
    expect(seen).toEqual([1, 2, 3, 4, 6, 9, 14]);
    expect(k.sysfs("pages_skipped")).toBe("7");
  });
  it("smart_scan=0 examines it every time", () => {
    const k = kernelAt("6.18");
    k.writeSysfs("smart_scan", 0);
    const p = k.spawn();
    const a = anon(p, 1);
    p.memset(a, 1, PAGE_SIZE);
    p.madvise(a, PAGE_SIZE, MADV_MERGEABLE);
    startKsmd(k);
    k.ksmd.runFullScans(10);
    expect(counters(k, "pages_scanned", "pages_skipped")).toEqual({ pages_scanned: 10, pages_skipped: 0 });
  });
});

describe("pages_scanned accounting (6.6-6.9 vs 730cdc2c72c6 in 6.10)", () => {
  it.each([["6.8", 11], ["6.10", 15]])("%s: 15 pages in batches of 10", (v, expected) => {
    const k = kernelAt(v);
    if (v === "6.8") k.writeSysfs("smart_scan", 0);
    const p = k.spawn();
    const a = mergeableArea(p, 15, (i) => i + 1);
    k.writeSysfs("pages_to_scan", 10);
    k.writeSysfs("run", 1);
    k.ksmd.runFullScans(1);
    expect(k.sysfs("pages_scanned")).toBe(String(expected));
  });
});

describe("fork: ksm_fork() and dup_mm() counters (4d6fc29f3634, 6.18)", () => {
  it.each([["6.16", "4"], ["6.18", "0"]])("%s: the child's ksm_merging_pages right after fork is %s", (v, expected) => {
    const k = kernelAt(v);
    const p = k.spawn();
    const a = mergeableArea(p, 4, () => 5);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    const c = p.fork();
    expect(c.ksm_merging_pages()).toBe(`${expected}\n`);
  });
});

describe("sysfs files and procfs lines per version", () => {
  it.each([
    ["6.1", 14], ["6.4", 15], ["6.6", 17], ["6.7", 19], ["6.8", 24], ["6.18", 24],
  ])("%s has %i files in /sys/kernel/mm/ksm", (v, n) => {
    expect(kernelAt(v).ksmd.sysfsFiles()).toHaveLength(n);
  });

  it("6.18 lists the same files as this machine's kernel would (run .. advisor_target_scan_time)", () => {
    expect(kernelAt("6.18").ksmd.sysfsFiles().sort()).toEqual([
      "advisor_max_cpu", "advisor_max_pages_to_scan", "advisor_min_pages_to_scan", "advisor_mode", "advisor_target_scan_time",
      "full_scans", "general_profit", "ksm_zero_pages", "max_page_sharing", "merge_across_nodes", "pages_scanned", "pages_shared",
      "pages_sharing", "pages_skipped", "pages_to_scan", "pages_unshared", "pages_volatile", "run", "sleep_millisecs", "smart_scan",
      "stable_node_chains", "stable_node_chains_prune_millisecs", "stable_node_dups", "use_zero_pages",
    ]);
  });

  it("bad writes: read-only EACCES, run=3 EINVAL, non-numbers EINVAL, unknown file ENOENT", () => {
    const k = kernelAt("6.18");
    const errno = (f: () => void) => { try { f(); return "ok"; } catch (e) { return (e as KernelError).errno; } };
    expect(errno(() => k.writeSysfs("pages_shared", 1))).toBe("EACCES");
    expect(errno(() => k.writeSysfs("run", 3))).toBe("EINVAL");
    expect(errno(() => k.writeSysfs("pages_to_scan", "abc"))).toBe("EINVAL");
    expect(errno(() => k.writeSysfs("use_zero_pages", "maybe"))).toBe("EINVAL");
    expect(errno(() => k.writeSysfs("advisor_target_scan_time", 0))).toBe("EINVAL");
    expect(errno(() => k.sysfs("no_such_file"))).toBe("ENOENT");
  });

  it("advisor_mode=scan-time sets pages_to_scan to advisor_min_pages_to_scan and locks it; none restores 100", () => {
    const k = kernelAt("6.8");
    k.writeSysfs("advisor_mode", "scan-time");
    expect(k.sysfs("advisor_mode")).toBe("none [scan-time]");
    expect(k.sysfs("pages_to_scan")).toBe("500");
    expect(() => k.writeSysfs("pages_to_scan", 10)).toThrow(expect.objectContaining({ errno: "EINVAL" }));
    k.writeSysfs("advisor_mode", "none");
    expect(k.sysfs("pages_to_scan")).toBe("100");
  });

  it.each([
    ["6.1", "ksm_rmap_items 0\n"],
    ["6.4", "ksm_rmap_items 0\nksm_merging_pages 0\nksm_process_profit 0\n"],
    ["6.6", "ksm_rmap_items 0\nksm_zero_pages 0\nksm_merging_pages 0\nksm_process_profit 0\n"],
    ["6.18", "ksm_rmap_items 0\nksm_zero_pages 0\nksm_merging_pages 0\nksm_process_profit 0\nksm_merge_any: no\nksm_mergeable: no\n"],
  ])("%s ksm_stat lines", (v, text) => {
    expect(kernelAt(v).spawn().ksm_stat()).toBe(text);
  });
});
