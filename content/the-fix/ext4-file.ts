// MAP_PRIVATE mappings of an ext4 file. From 6.17 ext4 has .mmap_prepare (ext4_file_mmap_prepare),
// so can_set_ksm_flags_early() says yes and VM_MERGEABLE is set before the merge attempt.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE, O_RDWR } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const fd = p.open("/var/lib/mergeable/data.bin", O_RDWR);
const hi = 0x600000000000;   // far from the rest of the address space, so no other neighbour
p.mmap(hi, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 4 * PAGE_SIZE);
p.mmap(hi - 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);  // file offset 0, just below
// @expect 6.16: 2 VMAs, mg
// @expect 6.17: 1 VMA, mg
