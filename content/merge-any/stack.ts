// After execve() under merge-any, every KSM-compatible VMA of the new image has mg, except [stack].
import { boot, PR_SET_MEMORY_MERGE } from "mergeable";

const p = boot().spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
p.execve();

const vmas = p.vmas();
const without = vmas.filter((v) => !v.vmflags.split(" ").includes("mg")).map((v) => v.name);
console.log(`${vmas.length - without.length} of ${vmas.length} VMAs have mg; without: ${without.join(" ")}`);
console.log(`[stack] VmFlags: ${vmas.find((v) => v.name === "[stack]")!.vmflags}`);
// @expect 6.18: log "18 of 22 VMAs have mg; without: [vvar] [vvar_vclock] [vdso] [stack]", log "[stack] VmFlags: rd wr mr mw me gd ac sd"
// @expect 6.7: log "18 of 21 VMAs have mg; without: [vvar] [vdso] [stack]"
