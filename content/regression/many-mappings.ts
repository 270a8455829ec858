// An allocator that maps one page at a time, each just below the previous one (think of a JIT
// or a garbage collector growing an arena), 64 times.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const before = p.map_count;

let page = p.mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
for (let i = 1; i < 64; i++) {
  // A hint (not MAP_FIXED): the kernel uses it because that page is free.
  page = p.mmap(page - PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
}
console.log(`map_count grew by ${p.map_count - before}`);
// @expect 6.16: 65 VMAs, log "map_count grew by 64"
// @expect 6.17: 1 VMA, log "map_count grew by 0"
