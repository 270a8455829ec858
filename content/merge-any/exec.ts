// fork() then execve(): does the new program keep merge-any, and does ksmd scan it?
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const parent = kernel.spawn();
parent.prctl(PR_SET_MEMORY_MERGE, 1);
const child = parent.fork();
child.execve();                               // a fresh address space for /usr/bin/app

const buf = child.mmap(0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
child.memset(buf, 0x2a, 8 * PAGE_SIZE);       // 8 identical pages
kernel.writeSysfs("run", 1);                  // echo 1 > /sys/kernel/mm/ksm/run
kernel.ksmd.runFullScans(2);                  // a page must look unchanged on two passes

console.log(`after exec: PR_GET_MEMORY_MERGE = ${child.prctl(PR_GET_MEMORY_MERGE)}`);
console.log(`ksm_merging_pages = ${child.ksm_merging_pages().trim()}`);
// @expect 6.6: log "after exec: PR_GET_MEMORY_MERGE = 0", log "ksm_merging_pages = 0"
// @expect 6.7: log "after exec: PR_GET_MEMORY_MERGE = 1", log "ksm_merging_pages = 0"
// @expect 6.10: log "after exec: PR_GET_MEMORY_MERGE = 1", log "ksm_merging_pages = 8"
// @expect 6.18: log "ksm_merging_pages = 8"
