// A plausible wrong answer, which the checker must reject (tests/exercises):
// marking only half the buffer MADV_MERGEABLE: ksmd shares 3 pages, not 7.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const buf = p.mmap(0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.memset(buf, 0x2a, 8 * PAGE_SIZE);
p.madvise(buf, 4 * PAGE_SIZE, MADV_MERGEABLE);
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);
console.log(`pages_sharing ${kernel.sysfs("pages_sharing")}`);
