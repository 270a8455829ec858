// On 6.16 a process with merge-any cannot merge a new mapping with its neighbour.
// Make these two mappings one VMA, without turning merge-any off.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const proc = kernel.spawn();
proc.prctl(PR_SET_MEMORY_MERGE, 1);
const rw = PROT_READ | PROT_WRITE;

const a = proc.mmap(0x100000000, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
const b = proc.mmap(a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);

// Both VMAs now carry VM_MERGEABLE. An existing-range merge compares the VMAs as they are, so a
// protection change and back lets vma_merge_existing_range() join b to a.
proc.mprotect(b, 4 * PAGE_SIZE, PROT_READ);
proc.mprotect(b, 4 * PAGE_SIZE, rw);
