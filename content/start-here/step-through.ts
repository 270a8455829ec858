// Split a VMA in three with mprotect(), then give the middle its old protection back.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE } from "mergeable";

const p = boot().spawn();
const rw = PROT_READ | PROT_WRITE;
const counts: number[] = [];

const a = p.mmap(0x100000000, 8 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
counts.push(p.map_count);
p.mprotect(a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ);   // pages 2-3 read-only: three VMAs
counts.push(p.map_count);
p.mprotect(a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, rw);          // the same flags again: one VMA
counts.push(p.map_count);
console.log(`map_count: ${counts.join(" -> ")}`);
// @expect 6.18: 1 VMA, log "map_count: 23 -> 25 -> 23"
