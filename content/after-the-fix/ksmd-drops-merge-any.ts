// When ksmd finds that an mm has no VM_MERGEABLE VMA left, it drops the mm from its list. Before
// 590c03ca6a3f it cleared MMF_VM_MERGE_ANY too: merge-any was gone without prctl(PR_SET_MEMORY_MERGE, 0).
// With it (6.18.3+, 6.19), the flag stays and the next mapping puts the mm back on ksmd's list.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_UNMERGEABLE, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
kernel.writeSysfs("run", 1);
// The program opts every range out again (a runtime that only wants KSM for some heaps, say).
for (const v of p.vmas()) if (v.vmflags.split(" ").includes("mg")) p.madvise(v.start, v.end - v.start, MADV_UNMERGEABLE);
console.log(`before ksmd: PR_GET_MEMORY_MERGE = ${p.prctl(PR_GET_MEMORY_MERGE)}`);
kernel.ksmd.runFullScans(1);
console.log(`after one full scan: PR_GET_MEMORY_MERGE = ${p.prctl(PR_GET_MEMORY_MERGE)}`);

// Later the program maps four equal pages. Are they still KSM's?
const a = p.mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(a, 7, 4 * PAGE_SIZE);
const mg = p.vmas().find((v) => v.start <= a && a < v.end)!.vmflags.split(" ").includes("mg");
// A second of ksmd (runFullScans() would refuse: with no mm on its list, ksmd never completes a scan).
kernel.ksmd.runFor(1000);
console.log(`new mapping: ${mg ? "mg" : "no mg"}, pages_sharing ${kernel.sysfs("pages_sharing")}`);
// @expect 6.17: log "after one full scan: PR_GET_MEMORY_MERGE = 0"
// @expect 6.18: log "after one full scan: PR_GET_MEMORY_MERGE = 0", log "new mapping: no mg, pages_sharing 0"
// @expect 6.18.3: log "before ksmd: PR_GET_MEMORY_MERGE = 1", log "after one full scan: PR_GET_MEMORY_MERGE = 1", log "new mapping: mg, pages_sharing 3"
// @expect 6.10: log "after one full scan: PR_GET_MEMORY_MERGE = 0"
