// A runtime turns on merge-any, then opts every existing range out again. On 6.17 ksmd then finds no
// VM_MERGEABLE VMA and clears MMF_VM_MERGE_ANY (6.18.y keeps it: 590c03ca6a3f). Keep merge-any on through the scan, without
// calling prctl() again and without undoing the madvise() calls.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_UNMERGEABLE,
         PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
kernel.writeSysfs("run", 1);
for (const v of p.vmas()) if (v.vmflags.split(" ").includes("mg")) p.madvise(v.start, v.end - v.start, MADV_UNMERGEABLE);
// A new mapping under merge-any gets VM_MERGEABLE, so ksmd still finds a mergeable VMA and keeps the slot.
p.mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
kernel.ksmd.runFullScans(1);
console.log(`after one full scan: PR_GET_MEMORY_MERGE = ${p.prctl(PR_GET_MEMORY_MERGE)}`);
