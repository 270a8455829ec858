// /proc/PID/ksm_stat: the per-process KSM counters, and (6.14+) whether merge-any is on.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const buf = p.mmap(0x100000000, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0x2a, 8 * PAGE_SIZE);     // 8 identical pages
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);

for (const line of p.ksm_stat().trim().split("\n")) console.log(line);
console.log(`pages_shared ${kernel.sysfs("pages_shared").trim()}, pages_sharing ${kernel.sysfs("pages_sharing").trim()}`);
// @expect 6.13: log "ksm_merging_pages 8", log "ksm_process_profit 32256", log "pages_shared 1, pages_sharing 7"
// @expect 6.15: log "ksm_merge_any: yes", log "ksm_mergeable: yes", log "ksm_merging_pages 8"
// @expect 6.4: log "ksm_merging_pages 8"
