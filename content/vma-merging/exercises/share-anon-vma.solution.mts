// The selftest mprotect_unfaulted_left, which fails on 6.15: two halves with equal flags stay
// apart because only one has an anon_vma. Keep all four calls, change only their order, so that
// the halves merge on 6.15.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_NORESERVE, MAP_FIXED_NOREPLACE } from "mergeable";

const p = boot().spawn();
const a = p.mmap(0x100000000, 10 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE);
// Fault first: the whole VMA gets the anon_vma, and both halves keep it when mprotect splits them.
p.poke(a + 5 * PAGE_SIZE);
p.mprotect(a, 5 * PAGE_SIZE, PROT_READ);
p.mprotect(a + 5 * PAGE_SIZE, 5 * PAGE_SIZE, PROT_READ);
