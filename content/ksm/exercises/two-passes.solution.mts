// Eight equal pages, offered to KSM, and ksmd running. Yet nothing is shared. Fix the scenario so
// that the seven extra copies are saved.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0x2a, 8 * PAGE_SIZE);
p.madvise(buf, 8 * PAGE_SIZE, MADV_MERGEABLE);
kernel.writeSysfs("run", 1);
// Pass 1 records each page's checksum; pass 2 finds them unchanged and merges.
kernel.ksmd.runFullScans(2);
console.log(`pages_sharing ${kernel.sysfs("pages_sharing")}`);
