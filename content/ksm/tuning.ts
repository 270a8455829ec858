// ksmd examines pages_to_scan pages per batch, then sleeps sleep_millisecs. Time here is virtual:
// kernel.ksmd.now is ksmd's clock in milliseconds, advanced by sleep_millisecs after each batch.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0, 300 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0x2a, 300 * PAGE_SIZE);
p.madvise(buf, 300 * PAGE_SIZE, MADV_MERGEABLE);

function timeToMerge(pagesToScan: number, sleepMs: number): string {
  kernel.writeSysfs("run", 2);                   // unmerge everything, full_scans back to 0
  kernel.writeSysfs("pages_to_scan", pagesToScan);
  kernel.writeSysfs("sleep_millisecs", sleepMs);
  kernel.writeSysfs("run", 1);
  const start = kernel.ksmd.now;
  kernel.ksmd.runFullScans(2);
  const ms = kernel.ksmd.now - start;
  return `pages_to_scan ${pagesToScan}, sleep_millisecs ${sleepMs}: two full scans took ${ms} ms`;
}
console.log(timeToMerge(100, 20));    // the defaults
console.log(timeToMerge(1000, 20));
console.log(timeToMerge(100, 200));
// 300 equal pages, but one KSM page maps at most max_page_sharing (256) of them.
console.log(`pages_shared ${kernel.sysfs("pages_shared")}, pages_sharing ${kernel.sysfs("pages_sharing")}`);
// @expect 6.17: log "pages_to_scan 100, sleep_millisecs 20: two full scans took 140 ms", log "pages_to_scan 1000, sleep_millisecs 20: two full scans took 20 ms", log "pages_to_scan 100, sleep_millisecs 200: two full scans took 1400 ms", log "pages_shared 2, pages_sharing 298"
