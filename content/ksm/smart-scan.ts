// Ten pages that never merge, scanned 20 times: with smart scan (6.7+) ksmd stops looking at
// them on every pass.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

function twentyScans(smart: boolean): string {
  const kernel = boot();
  const p = kernel.spawn();
  const buf = p.mmap(0, 10 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  for (let i = 0; i < 10; i++) p.memset(buf + i * PAGE_SIZE, i + 1, PAGE_SIZE);   // all different
  p.madvise(buf, 10 * PAGE_SIZE, MADV_MERGEABLE);
  kernel.writeSysfs("smart_scan", smart ? 1 : 0);
  kernel.writeSysfs("run", 1);
  kernel.ksmd.runFullScans(20);
  return `smart_scan ${kernel.sysfs("smart_scan")}: pages_scanned ${kernel.sysfs("pages_scanned")}, pages_skipped ${kernel.sysfs("pages_skipped")}`;
}
console.log(twentyScans(false));
console.log(twentyScans(true));
// @expect 6.17: log "smart_scan 0: pages_scanned 200, pages_skipped 0", log "smart_scan 1: pages_scanned 70, pages_skipped 130"
