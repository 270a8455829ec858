// general_profit = (pages_sharing + ksm_zero_pages) * PAGE_SIZE - rmap_items * sizeof(struct ksm_rmap_item).
// Scanning costs 64 bytes per page examined; it pays off only when pages really are shared.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const rw = PROT_READ | PROT_WRITE;
const distinct = p.mmap(0, 16 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS);
for (let i = 0; i < 16; i++) p.memset(distinct + i * PAGE_SIZE, i + 1, PAGE_SIZE);   // 16 different pages
p.madvise(distinct, 16 * PAGE_SIZE, MADV_MERGEABLE);
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);
console.log(`distinct pages only: general_profit ${kernel.sysfs("general_profit")}`);

const same = p.mmap(0, 16 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(same, 0x2a, 16 * PAGE_SIZE);                                                 // 16 equal pages
p.madvise(same, 16 * PAGE_SIZE, MADV_MERGEABLE);
kernel.ksmd.runFullScans(2);
const sharing = Number(kernel.sysfs("pages_sharing"));
const items = p.ksm_stat().match(/ksm_rmap_items (\d+)/)![1];
console.log(`with equal pages: pages_sharing ${sharing}, rmap_items ${items}, general_profit ${kernel.sysfs("general_profit")}`);
console.log(`by hand: ${sharing} * 4096 - ${items} * 64 = ${sharing * 4096 - Number(items) * 64}`);
// @expect 6.17: log "distinct pages only: general_profit -1024", log "with equal pages: pages_sharing 15, rmap_items 32, general_profit 59392", log "by hand: 15 * 4096 - 32 * 64 = 59392"
