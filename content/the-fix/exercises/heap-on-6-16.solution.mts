// A program that turns on merge-any at start-up and then grows its heap, on 6.16.
// Every brk() growth leaves a VMA of its own. Reorder the calls so that the heap stays one VMA,
// and still has mg at the end.
import { boot, PAGE_SIZE, PR_SET_MEMORY_MERGE } from "mergeable";

const p = boot().spawn();
// Grow first: without MMF_VM_MERGE_ANY, do_brk_flags() expands the heap VMA in place.
for (let i = 0; i < 4; i++) p.sbrk(4 * PAGE_SIZE);
// Then ksm_add_vmas() sets VM_MERGEABLE on the existing (single) heap VMA.
p.prctl(PR_SET_MEMORY_MERGE, 1);
