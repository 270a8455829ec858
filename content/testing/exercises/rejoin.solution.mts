// On 6.16, under merge-any, two adjacent anonymous mappings stayed apart (the regression).
// Join them into one VMA without unmapping anything and without turning merge-any off.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";

const p = boot().spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const at = 0x600000000000;
p.mmap(at, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mmap(at + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
// Both VMAs already carry VM_MERGEABLE, so their flags are equal. An operation on the existing
// range goes through vma_merge_existing_range(), which compares them and merges.
p.mprotect(at + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ);
p.mprotect(at + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
