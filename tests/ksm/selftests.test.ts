/**
 * The kernel's KSM selftests (tools/testing/selftests/mm/ksm_tests.c and ksm_functional_tests.c)
 * rewritten as engine scenarios, one test per selftest, named after it. Setup as in the
 * selftests: run=2, then run=1 and two full scans ("merging occurs only after 2 scans").
 */
import { describe, expect, it } from "vitest";
import {
  PAGE_SIZE, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_DONTNEED, MADV_NOHUGEPAGE, PROT_NONE, PROT_READ, PROT_WRITE,
  PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE, type Kernel,
} from "mergeable";
import { anon, counters, fill, kernelAt, ksmStat, mergeableArea, rangeMapsDuplicates, startKsmd } from "./helpers.ts";

/** ksm_tests.c assert_ksm_pages_count(n) with max_page_sharing m. */
function assertKsmPagesCount(k: Kernel, n: number): void {
  const m = Number(k.sysfs("max_page_sharing"));
  const { pages_shared: shared, pages_sharing: sharing } = counters(k, "pages_shared", "pages_sharing");
  if (n % m === 0 || n % m === 1) {
    expect(shared).toBe(Math.floor(n / m));
    expect(sharing).toBe(shared * (m - 1));
  } else {
    expect(shared).toBe(Math.floor(n / m) + 1);
    expect(sharing).toBe(n - shared);
  }
}

describe("ksm_tests.c", () => {
  it.each([["madvise", 0], ["prctl", 1]] as const)("check_ksm_merge (-M -p 10 -t %s)", (_t, mergeType) => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = anon(p, 10);
    fill(p, a, 10, () => 0x2a); // '*'
    if (mergeType === 0) p.madvise(a, 10 * PAGE_SIZE, MADV_MERGEABLE);
    else p.prctl(PR_SET_MEMORY_MERGE, 1);
    startKsmd(k, 10);
    k.ksmd.runFullScans(2);
    assertKsmPagesCount(k, 10);
  });

  it("check_ksm_merge with -p 1000 and max_page_sharing 256 (dups)", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 1000, () => 0x2a);
    startKsmd(k, 1000);
    k.ksmd.runFullScans(2);
    assertKsmPagesCount(k, 1000);
  });

  it("check_ksm_unmerge (-U): write one byte in each of 2 merged pages, 1 full scan, nothing merged", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    const a = mergeableArea(p, 2, () => 0x2a);
    startKsmd(k, 2);
    k.ksmd.runFullScans(2);
    assertKsmPagesCount(k, 2);
    p.memset(a + 100, 0x2d, 1); // '-'
    p.memset(a + PAGE_SIZE + 100, 0x2b, 1); // '+'
    k.ksmd.runFullScans(1);
    assertKsmPagesCount(k, 0);
  });

  it.each([[0, 10], [1, 0]])("check_ksm_zero_page_merge (-Z -z %i)", (z, expected) => {
    const k = kernelAt("6.18");
    k.writeSysfs("use_zero_pages", z);
    const p = k.spawn();
    const a = mergeableArea(p, 10, () => 0);
    startKsmd(k, 10);
    k.ksmd.runFullScans(2);
    assertKsmPagesCount(k, expected);
  });

  it.skip("check_ksm_numa_merge (-N): needs two NUMA nodes; the engine models merge_across_nodes=1 only", () => {});
});

/** ksm_functional_tests.c __mmap_and_merge_range(): 2 MiB, MADV_NOHUGEPAGE, filled, merged. */
function mmapAndMergeRange(k: Kernel, val: number, prot: number, viaPrctl = false) {
  k.writeSysfs("run", 2);
  const p = k.spawn();
  expect(p.ksm_merging_pages()).toBe("0\n");
  const n = 512;
  const a = anon(p, n);
  p.madvise(a, n * PAGE_SIZE, MADV_NOHUGEPAGE);
  p.memset(a, val, n * PAGE_SIZE);
  if (prot !== (PROT_READ | PROT_WRITE)) p.mprotect(a, n * PAGE_SIZE, prot);
  if (viaPrctl) p.prctl(PR_SET_MEMORY_MERGE, 1);
  else p.madvise(a, n * PAGE_SIZE, MADV_MERGEABLE);
  k.writeSysfs("pages_to_scan", 100_000);
  k.writeSysfs("run", 1);
  k.ksmd.runFullScans(2);
  if (val) expect(Number(p.ksm_merging_pages())).toBeGreaterThan(0);
  return { p, a, n };
}

describe("ksm_functional_tests.c", () => {
  it("test_unmerge", () => {
    const k = kernelAt("6.18");
    const { p, a, n } = mmapAndMergeRange(k, 0xcf, PROT_READ | PROT_WRITE);
    expect(rangeMapsDuplicates(p, a, n)).toBe(true);
    p.madvise(a, n * PAGE_SIZE, MADV_UNMERGEABLE);
    expect(rangeMapsDuplicates(p, a, n)).toBe(false);
  });

  it("test_unmerge_zero_pages (6.6+)", () => {
    const k = kernelAt("6.18");
    k.writeSysfs("use_zero_pages", 1);
    const { p, a, n } = mmapAndMergeRange(k, 0, PROT_READ | PROT_WRITE);
    expect(ksmStat(p).ksm_zero_pages).toBe(String(n));
    expect(k.sysfs("ksm_zero_pages")).toBe(String(n));
    p.madvise(a + (n / 2) * PAGE_SIZE, (n / 2) * PAGE_SIZE, MADV_UNMERGEABLE);
    expect(ksmStat(p).ksm_zero_pages).toBe(String(n / 2));
    for (let i = 0; i < n / 2; i++) p.poke(a + i * PAGE_SIZE, 0xcf);
    expect(ksmStat(p).ksm_zero_pages).toBe("0");
    expect(rangeMapsDuplicates(p, a, n)).toBe(false);
  });

  it("test_unmerge_discarded", () => {
    const k = kernelAt("6.18");
    const { p, a, n } = mmapAndMergeRange(k, 0xcf, PROT_READ | PROT_WRITE);
    p.madvise(a, (n / 2) * PAGE_SIZE, MADV_DONTNEED);
    expect(p.madvise(a, n * PAGE_SIZE, MADV_UNMERGEABLE)).toBe(0);
    expect(rangeMapsDuplicates(p, a, n)).toBe(false);
  });

  it.skip("test_unmerge_uffd_wp: userfaultfd is not modelled", () => {});

  it("test_prot_none (writes via /proc/self/mem modelled as mprotect + write + mprotect)", () => {
    const k = kernelAt("6.18");
    const { p, a, n } = mmapAndMergeRange(k, 0x11, PROT_NONE);
    p.mprotect(a, (n / 2) * PAGE_SIZE, PROT_READ | PROT_WRITE);
    for (let i = 0; i < n / 2; i++) p.poke(a + i * PAGE_SIZE, i + 1);
    p.mprotect(a, (n / 2) * PAGE_SIZE, PROT_NONE);
    p.madvise(a + (n / 2) * PAGE_SIZE, (n / 2) * PAGE_SIZE, MADV_UNMERGEABLE);
    expect(rangeMapsDuplicates(p, a, n)).toBe(false);
  });

  it("test_prctl", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    p.prctl(PR_SET_MEMORY_MERGE, 1);
    expect(p.prctl(PR_GET_MEMORY_MERGE)).toBe(1);
    p.prctl(PR_SET_MEMORY_MERGE, 0);
    expect(p.prctl(PR_GET_MEMORY_MERGE)).toBe(0);
  });

  it("test_prctl_fork: the child inherits MMF_VM_MERGE_ANY and merges with no extra call", () => {
    const k = kernelAt("6.18");
    const p = k.spawn();
    p.prctl(PR_SET_MEMORY_MERGE, 1);
    const c = p.fork();
    expect(c.prctl(PR_GET_MEMORY_MERGE)).toBe(1);
    const { a, n } = { a: anon(c, 512), n: 512 };
    c.memset(a, 0xcf, n * PAGE_SIZE);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(Number(c.ksm_merging_pages())).toBeGreaterThan(0);
  });

  it.each([["6.7", false], ["6.10", true]])("test_prctl_fork_exec on %s: merge-any survives exec; the exec'd mm is scanned: %s", (v, scanned) => {
    const k = kernelAt(v);
    const p = k.spawn();
    p.prctl(PR_SET_MEMORY_MERGE, 1);
    const c = p.fork();
    c.execve();
    expect(c.prctl(PR_GET_MEMORY_MERGE)).toBe(1);
    const a = anon(c, 64);
    c.memset(a, 0xcf, 64 * PAGE_SIZE);
    startKsmd(k);
    k.ksmd.runFullScans(2);
    expect(Number(c.ksm_merging_pages()) > 0).toBe(scanned);
  });

  it("test_prctl_unmerge", () => {
    const k = kernelAt("6.18");
    const { p, a, n } = mmapAndMergeRange(k, 0xcf, PROT_READ | PROT_WRITE, true);
    p.prctl(PR_SET_MEMORY_MERGE, 0);
    expect(rangeMapsDuplicates(p, a, n)).toBe(false);
  });

  it.each([["6.18", "0"], ["6.16", "512"]])("test_fork_ksm_merging_page_count on %s: the child's ksm_merging_pages after fork", (v, expected) => {
    const k = kernelAt(v);
    const { p } = mmapAndMergeRange(k, 0xcf, PROT_READ | PROT_WRITE);
    expect(p.fork().ksm_merging_pages()).toBe(`${expected}\n`);
  });
});
