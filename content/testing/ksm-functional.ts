// tools/testing/selftests/mm/ksm_functional_tests.c test_unmerge_zero_pages (6.6+), on the engine:
// zero pages merged by KSM are counted, MADV_UNMERGEABLE gives them back, and so does a write.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE, MADV_UNMERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const n = 8;
const zero = () => `ksm_zero_pages: process ${/ksm_zero_pages (\d+)/.exec(p.ksm_stat())![1]}, system ${kernel.sysfs("ksm_zero_pages")}`;

kernel.writeSysfs("use_zero_pages", 1);
// mmap_and_merge_range(): fill, MADV_MERGEABLE, then "run=2, run=1" and two full scans.
const a = p.mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(a, 0, n * PAGE_SIZE);
p.madvise(a, n * PAGE_SIZE, MADV_MERGEABLE);
kernel.writeSysfs("run", 2);
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);
console.log(`merged: ${zero()}`);
p.madvise(a + (n / 2) * PAGE_SIZE, (n / 2) * PAGE_SIZE, MADV_UNMERGEABLE);   // unshare half
console.log(`half unmerged: ${zero()}`);
for (let i = 0; i < n / 2; i++) p.poke(a + i * PAGE_SIZE, 0xcf);             // write to the other half
console.log(`other half written: ${zero()}`);
// @expect 6.17: log "merged: ksm_zero_pages: process 8, system 8", log "half unmerged: ksm_zero_pages: process 4, system 4", log "other half written: ksm_zero_pages: process 0, system 0"
