// Up to 6.18, when ksmd finds that an mm has no VM_MERGEABLE VMA left, it drops the mm from its list
// and clears MMF_VM_MERGE_ANY too: merge-any is gone without prctl(PR_SET_MEMORY_MERGE, 0).
// 6.19 (590c03ca6a3f, Cc stable) stops ksmd from clearing it.
import { boot, MADV_UNMERGEABLE, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
kernel.writeSysfs("run", 1);
// The program opts every range out again (a runtime that only wants KSM for some heaps, say).
for (const v of p.vmas()) if (v.vmflags.split(" ").includes("mg")) p.madvise(v.start, v.end - v.start, MADV_UNMERGEABLE);
console.log(`before ksmd: PR_GET_MEMORY_MERGE = ${p.prctl(PR_GET_MEMORY_MERGE)}`);
kernel.ksmd.runFullScans(1);
console.log(`after one full scan: PR_GET_MEMORY_MERGE = ${p.prctl(PR_GET_MEMORY_MERGE)}`);
