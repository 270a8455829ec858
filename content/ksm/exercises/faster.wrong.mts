// A plausible wrong answer, which the checker must reject (tests/exercises):
// halving sleep_millisecs instead of raising pages_to_scan: the task keeps sleep_millisecs at 20.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0, 1000 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0x2a, 1000 * PAGE_SIZE);
p.madvise(buf, 1000 * PAGE_SIZE, MADV_MERGEABLE);
kernel.writeSysfs("sleep_millisecs", 10);
kernel.writeSysfs("pages_to_scan", 334);
kernel.writeSysfs("run", 1);
const start = kernel.ksmd.now;
kernel.ksmd.runFullScans(2);
console.log(`two full scans took ${kernel.ksmd.now - start} ms with sleep_millisecs ${kernel.sysfs("sleep_millisecs")}`);
