// Pages that were written but hold only zeros. With use_zero_pages, ksmd maps them to the
// kernel's shared zero page instead of building a KSM page; 6.6+ counts them in ksm_zero_pages.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0, 6 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0, 6 * PAGE_SIZE);                // faulted in, all zero
p.madvise(buf, 6 * PAGE_SIZE, MADV_MERGEABLE);
kernel.writeSysfs("use_zero_pages", 1);
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);
const files = kernel.ksmd.sysfsFiles();
console.log(`pages_shared ${kernel.sysfs("pages_shared")}, pages_sharing ${kernel.sysfs("pages_sharing")}`);
console.log(files.includes("ksm_zero_pages") ? `ksm_zero_pages ${kernel.sysfs("ksm_zero_pages")}` : "no ksm_zero_pages file");
console.log(`general_profit ${kernel.sysfs("general_profit")}`);
kernel.ksmd.runFullScans(1);                    // a third pass drops the rmap_items of zero-mapped pages
console.log(`after a third scan: general_profit ${kernel.sysfs("general_profit")}`);
// @expect 6.4: log "pages_shared 0, pages_sharing 0", log "no ksm_zero_pages file", log "general_profit -384", log "after a third scan: general_profit 0"
// @expect 6.17: log "pages_shared 0, pages_sharing 0", log "ksm_zero_pages 6", log "general_profit 24192", log "after a third scan: general_profit 24576"
