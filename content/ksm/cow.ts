// A KSM page is write-protected: a write gives the writer its own copy again (copy-on-write).
// The counters change only when ksmd next passes that address.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0x2a, 4 * PAGE_SIZE);
p.madvise(buf, 4 * PAGE_SIZE, MADV_MERGEABLE);
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);
const sharing = () => `pages_shared ${kernel.sysfs("pages_shared")}, pages_sharing ${kernel.sysfs("pages_sharing")}`;
console.log(`merged: ${sharing()}`);

p.poke(buf + PAGE_SIZE, 7);        // write fault on a KSM page: do_wp_page() copies it
console.log(`right after the write: ${sharing()}`);
kernel.ksmd.runFullScans(1);
console.log(`after the next scan: ${sharing()}`);
// @expect 6.17: log "merged: pages_shared 1, pages_sharing 3", log "right after the write: pages_shared 1, pages_sharing 3", log "after the next scan: pages_shared 1, pages_sharing 2"
