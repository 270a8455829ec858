// MAP_PRIVATE mappings of a memfd (shmem). shmem still has a legacy .mmap hook (shmem_mmap), but
// can_set_ksm_flags_early() knows it cannot change KSM eligibility: shmem_file() is true.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const fd = p.memfd_create("guest-ram");
p.ftruncate(fd, 8 * PAGE_SIZE);
const hi = 0x600000000000;   // far from the rest of the address space, so no other neighbour
p.mmap(hi, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 4 * PAGE_SIZE);
p.mmap(hi - 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
// @expect 6.16: 2 VMAs, mg
// @expect 6.17: 1 VMA, mg
