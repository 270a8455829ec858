// ksmd with the default settings needs 420 ms of (virtual) time to make two full passes over these
// 1000 pages. Make it take 60 ms, without changing sleep_millisecs.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0, 1000 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0x2a, 1000 * PAGE_SIZE);
p.madvise(buf, 1000 * PAGE_SIZE, MADV_MERGEABLE);
// One batch per pass: ksm_do_scan() examines the whole range at once, then the next batch ends the pass.
kernel.writeSysfs("pages_to_scan", 1000);
kernel.writeSysfs("run", 1);
const start = kernel.ksmd.now;
kernel.ksmd.runFullScans(2);
console.log(`two full scans took ${kernel.ksmd.now - start} ms with sleep_millisecs ${kernel.sysfs("sleep_millisecs")}`);
