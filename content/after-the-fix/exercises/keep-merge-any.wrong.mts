// A plausible wrong answer, which the checker must reject (tests/exercises):
// turning merge-any on again after the scan: the task rules out another prctl().
import { boot, MADV_UNMERGEABLE, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
kernel.writeSysfs("run", 1);
for (const v of p.vmas()) if (v.vmflags.split(" ").includes("mg")) p.madvise(v.start, v.end - v.start, MADV_UNMERGEABLE);
kernel.ksmd.runFullScans(1);
p.prctl(PR_SET_MEMORY_MERGE, 1);
console.log(`after one full scan: PR_GET_MEMORY_MERGE = ${p.prctl(PR_GET_MEMORY_MERGE)}`);
