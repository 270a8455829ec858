// tools/testing/selftests/mm/merge.c, mprotect_unfaulted_left: a faulted range next to an unfaulted
// one with the same flags. Refused before 6.16; merged since 879bca0a2c4f.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_NORESERVE, MAP_FIXED_NOREPLACE } from "mergeable";

const p = boot().spawn();
const a = p.mmap(0x100000000, 10 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE);
p.mprotect(a, 5 * PAGE_SIZE, PROT_READ);                  // left half read-only, never written
p.poke(a + 5 * PAGE_SIZE);                                 // right half faulted: it gets an anon_vma
p.mprotect(a + 5 * PAGE_SIZE, 5 * PAGE_SIZE, PROT_READ);  // right half read-only too
// @expect 6.15: 2 VMAs
// @expect 6.16: 1 VMA
// @expect 6.1: 2 VMAs
// @expect 6.18: 1 VMA
