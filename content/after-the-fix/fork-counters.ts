// After fork(), /proc/PID/ksm_merging_pages of the child. Before 6.18 the child's mm_struct
// started as a copy of the parent's, KSM counters included (fixed by 4d6fc29f3634, Cc stable).
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const parent = kernel.spawn();
const a = parent.mmap(0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
parent.memset(a, 0x2a, 8 * PAGE_SIZE);
parent.madvise(a, 8 * PAGE_SIZE, MADV_MERGEABLE);
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);
const child = parent.fork();
console.log(`parent ksm_merging_pages ${parent.ksm_merging_pages().trim()}, child ${child.ksm_merging_pages().trim()}`);
// @expect 6.17: log "parent ksm_merging_pages 8, child 8"
// @expect 6.18: log "parent ksm_merging_pages 8, child 0"
