/** Small helpers for the engine-only KSM tests. */
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE, type Kernel, type Process } from "mergeable";

export function kernelAt(version: string): Kernel {
  return boot({ version, config: { softDirty: false }, trace: true });
}

/** An anonymous private RW mapping of `pages` pages. */
export function anon(p: Process, pages: number): number {
  return p.mmap(0, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
}

/** Fill page i of [a, a + n pages) with byte f(i). */
export function fill(p: Process, a: number, n: number, f: (i: number) => number): void {
  for (let i = 0; i < n; i++) p.memset(a + i * PAGE_SIZE, f(i), PAGE_SIZE);
}

/** The usual KSM test area: `pages` anonymous pages, page i filled with f(i), then MADV_MERGEABLE. */
export function mergeableArea(p: Process, pages: number, f: (i: number) => number): number {
  const a = anon(p, pages);
  fill(p, a, pages, f);
  p.madvise(a, pages * PAGE_SIZE, MADV_MERGEABLE);
  return a;
}

/** Several sysfs counters as numbers. */
export function counters(k: Kernel, ...names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n) => [n, Number(k.sysfs(n))]));
}

/** The selftests' range_maps_duplicates(): do two pages of the range map the same page frame? */
export function rangeMapsDuplicates(p: Process, a: number, n: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const page = p.mm.ptes.get(a / PAGE_SIZE + i);
    if (!page) continue;
    if (seen.has(page.id)) return true;
    seen.add(page.id);
  }
  return false;
}

/** ksm_stat as a record. */
export function ksmStat(p: Process): Record<string, string> {
  return Object.fromEntries(p.ksm_stat().trim().split("\n").map((l) => { const m = /^(\w+):?\s+(.*)$/.exec(l)!; return [m[1], m[2]]; }));
}

/** Start ksmd the way the selftests do: run=2 (clean), big batches, run=1. */
export function startKsmd(k: Kernel, pagesToScan = 100_000): void {
  k.writeSysfs("run", 2);
  k.writeSysfs("pages_to_scan", pagesToScan);
  k.writeSysfs("sleep_millisecs", 0);
  k.writeSysfs("run", 1);
}
