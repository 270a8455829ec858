// prctl(PR_SET_MEMORY_MERGE, 0) unmerges and clears VM_MERGEABLE on every VMA, including ranges
// that were marked with madvise(MADV_MERGEABLE) before merge-any was turned on.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0x100000000, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.madvise(buf, 4 * PAGE_SIZE, MADV_MERGEABLE);   // this buffer asked for KSM on its own
p.memset(buf, 0x2a, 4 * PAGE_SIZE);
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);
const mgNow = () => p.vmas().filter((v) => v.vmflags.split(" ").includes("mg")).length;

p.prctl(PR_SET_MEMORY_MERGE, 1);
console.log(`merge-any on: ${mgNow()} VMAs with mg`);
p.prctl(PR_SET_MEMORY_MERGE, 0);
console.log(`merge-any off: ${mgNow()} VMAs with mg`);
kernel.ksmd.runFullScans(1);
console.log(`after the next pass: pages_sharing ${kernel.sysfs("pages_sharing").trim()}`);
// @expect 6.18: no mg, log "merge-any on: 20 VMAs with mg", log "merge-any off: 0 VMAs with mg", log "after the next pass: pages_sharing 0"
// @expect 6.4: no mg, log "merge-any off: 0 VMAs with mg"
