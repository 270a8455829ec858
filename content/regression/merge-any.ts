// What PR_SET_MEMORY_MERGE does: every KSM-compatible VMA of the process gets VM_MERGEABLE ("mg").
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0x2a, 8 * PAGE_SIZE);   // fault the pages in: now there is something to share

// ksm_enable_merge_any(): set MMF_VM_MERGE_ANY, then ksm_add_vmas() marks every existing VMA.
p.prctl(PR_SET_MEMORY_MERGE, 1);
console.log(`PR_GET_MEMORY_MERGE = ${p.prctl(PR_GET_MEMORY_MERGE)}`);
// @expect 6.16: mg, log "PR_GET_MEMORY_MERGE = 1"
// @expect 6.3: EINVAL
