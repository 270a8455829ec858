// Two anonymous mappings side by side in a process with merge-any enabled.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);

const rw = PROT_READ | PROT_WRITE;
const a = p.mmap(0, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS);
// The next 4 pages directly below `a`: same protection, same flags, adjacent.
const b = p.mmap(a - 4 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
console.log(`a = 0x${a.toString(16)}, b = 0x${b.toString(16)}`);
// @expect 6.16: 3 VMAs, mg
// @expect 6.17: 1 VMA, mg
