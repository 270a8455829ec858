// Eight pages with the same contents, offered to KSM with madvise(MADV_MERGEABLE).
// ksmd needs two full scans: the first records each page's checksum, the second merges.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0x2a, 8 * PAGE_SIZE);            // 8 identical pages, each one private
p.madvise(buf, 8 * PAGE_SIZE, MADV_MERGEABLE);  // ksm_madvise(): VM_MERGEABLE, __ksm_enter()

kernel.writeSysfs("run", 1);                    // echo 1 > /sys/kernel/mm/ksm/run
const show = () => ["full_scans", "pages_shared", "pages_sharing", "pages_volatile"]
  .map((f) => `${f} ${kernel.sysfs(f)}`).join(", ");
kernel.ksmd.runFullScans(1);
console.log(`after scan 1: ${show()}`);
kernel.ksmd.runFullScans(1);
console.log(`after scan 2: ${show()}`);
// @expect 6.17: log "after scan 1: full_scans 1, pages_shared 0, pages_sharing 0, pages_volatile 8", log "after scan 2: full_scans 2, pages_shared 1, pages_sharing 7, pages_volatile 0"
