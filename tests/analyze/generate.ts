/**
 * A synthetic smaps of `n` VMAs in 6.18's exact format (fs/proc/task_mmu.c show_smap()), for the
 * benchmark and the size tests: a program, then alternating kinds of fragmentation —
 * runs of identical anonymous mg VMAs (the 6.4-6.16 regression's shape), alternating protections,
 * and file mappings with non-contiguous offsets.
 */
const hexw = (n: number, w: number) => n.toString(16).padStart(w, "0");
const kb = (label: string, n: number) => `${label.padEnd(16, " ")}${String(n).padStart(8, " ")} kB\n`;

function block(start: number, end: number, perms: string, off: number, dev: string, ino: number, name: string, flags: string, anon: number): string {
  let h = `${hexw(start, 8)}-${hexw(end, 8)} ${perms} ${hexw(off, 8)} ${dev} ${ino} `;
  if (name) h = h.padEnd(72, " ") + " " + name;
  const size = (end - start) / 1024;
  return h + "\n" + kb("Size:", size) + kb("KernelPageSize:", 4) + kb("MMUPageSize:", 4) + kb("Rss:", anon) + kb("Pss:", anon) + kb("Pss_Dirty:", anon)
    + kb("Shared_Clean:", 0) + kb("Shared_Dirty:", 0) + kb("Private_Clean:", 0) + kb("Private_Dirty:", anon) + kb("Referenced:", anon) + kb("Anonymous:", anon)
    + kb("KSM:", 0) + kb("LazyFree:", 0) + kb("AnonHugePages:", 0) + kb("ShmemPmdMapped:", 0) + kb("FilePmdMapped:", 0) + kb("Shared_Hugetlb:", 0)
    + "Private_Hugetlb:        0 kB\n" + kb("Swap:", 0) + kb("SwapPss:", 0) + kb("Locked:", 0) + "THPeligible:           0\n" + `VmFlags: ${flags} \n`;
}

/** Returns the text and how many touching pairs of each kind it holds. */
export function generateSmaps(n: number): { text: string; expected: { regression: number; flags: number; pgoff: number } } {
  const parts: string[] = [];
  const P = 4096;
  let addr = 0x7f0000000000;
  parts.push(block(0x555555554000, 0x555555555000, "r--p", 0, "fe:00", 1234, "/usr/bin/app", "rd mr mw me mg", 0));
  let left = n - 1;
  const expected = { regression: 0, flags: 0, pgoff: 0 };
  let kind = 0;
  while (left > 0) {
    const run = Math.min(left, kind === 0 ? 1000 : 100);
    for (let i = 0; i < run; i++) {
      if (kind === 0) parts.push(block(addr, addr + P, "rw-p", 0, "00:00", 0, "", "rd wr mr mw me ac mg", 4));
      else if (kind === 1) parts.push(block(addr, addr + P, i % 2 ? "r--p" : "rw-p", 0, "00:00", 0, "", i % 2 ? "rd mr mw me ac mg" : "rd wr mr mw me ac mg", 4));
      else parts.push(block(addr, addr + P, "r--p", 0, "fe:00", 4321, "/usr/lib/data.bin", "rd mr mw me mg", 0));
      addr += P;
    }
    if (kind === 0) expected.regression += run - 1;
    else if (kind === 1) expected.flags += run - 1;
    else expected.pgoff += run - 1;
    addr += 16 * P; // a gap between runs
    left -= run;
    kind = (kind + 1) % 3;
  }
  return { text: parts.join(""), expected };
}
