// MAP_PRIVATE mappings of /dev/zero: mmap_zero() is a legacy .mmap hook, so the KSM flag is still
// computed late (after the hook, since the June 2025 fix-up) and the merge attempt misses it.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE, O_RDWR } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const fd = p.open("/dev/zero", O_RDWR);
const hi = 0x600000000000;   // far from the rest of the address space, so no other neighbour
p.mmap(hi, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 4 * PAGE_SIZE);
p.mmap(hi - 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
// @expect 6.16: 2 VMAs, mg
// @expect 6.17: 2 VMAs, mg
