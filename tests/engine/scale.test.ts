/**
 * 65,530 VMAs (the default vm.max_map_count): alternating PROT_READ / PROT_NONE pages made by
 * MAP_FIXED mappings inside one big PROT_NONE reservation, trace off. Not a timing test
 * (benchmarks are separate): it checks map_count and the limit rules at real scale.
 */
import { expect, it } from "vitest";
import {
  boot, PROT_NONE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MADV_DONTFORK,
} from "mergeable";
import { P, kerr } from "./helpers.ts";

it("builds 65,530 VMAs and enforces max_map_count at the limit", { timeout: 60_000 }, () => {
  const kernel = boot({ version: "6.18", trace: false });
  const p = kernel.spawn();
  const MAX = 65530;
  expect(kernel.sysctl("vm.max_map_count")).toBe(MAX);
  const base = p.map_count;
  const n = MAX - base; // VMAs to create
  // m read-only pages at even page indexes; each adds 2 VMAs (hole punch), except that with an
  // odd n the last one sits at the reservation's end and adds 1.
  const m = n % 2 === 0 ? n / 2 : (n + 1) / 2;
  const pages = n % 2 === 0 ? 2 * m + 1 : 2 * m - 1;
  const R = 0x100000000;
  p.mmap(R, pages * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
  for (let i = 0; i < m; i++) p.mmap(R + 2 * i * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
  expect(p.map_count).toBe(MAX);
  expect(p.vmas().length).toBe(MAX);
  const mid = R + 2 * Math.floor(m / 2) * P;
  // 0123   page `mid` is RO between two NONE pages: mprotect(NONE) merges all three, no split needed
  // X.X.   -> map_count - 2, allowed at the limit
  p.mprotect(mid, P, PROT_NONE);
  expect(p.map_count).toBe(MAX - 2);
  expect(p.vmasIn(mid, mid + P)[0]).toMatchObject({ start: mid - P, end: mid + 2 * P });
  // Back to RO: two splits, the second one reaching the limit exactly.
  p.mprotect(mid, P, PROT_READ);
  expect(p.map_count).toBe(MAX);
  const heap = p.vmas().find((v) => v.name === "[heap]")!;
  // At the limit: split_vma() refuses (ENOMEM), madvise reports EAGAIN, a hole punch is ENOMEM.
  expect(kerr(() => p.mprotect(heap.start + P, P, PROT_READ)).errno).toBe("ENOMEM");
  expect(kerr(() => p.madvise(heap.start + P, P, MADV_DONTFORK)).errno).toBe("EAGAIN");
  expect(kerr(() => p.munmap(heap.start + P, P)).errno).toBe("ENOMEM");
  // do_mmap() checks map_count > max: one more mapping is allowed, the next is not.
  p.mmap(0x200000000, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
  expect(p.map_count).toBe(MAX + 1);
  expect(kerr(() => p.mmap(0x300000000, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE)).errno).toBe("ENOMEM");
  // brk: map_count > max, so even an in-place growth is refused (the old break comes back).
  const brk0 = p.brk(0);
  expect(p.brk(brk0 + P)).toBe(brk0);
  // Unmapping a whole VMA is always possible and brings the count back under the limit.
  p.munmap(0x200000000, P);
  expect(p.map_count).toBe(MAX);
  expect(p.brk(brk0 + P)).toBe(brk0 + P);
  const vs = p.vmas();
  for (let i = 1; i < vs.length; i++) expect(vs[i - 1]!.end <= vs[i]!.start).toBe(true);
});
