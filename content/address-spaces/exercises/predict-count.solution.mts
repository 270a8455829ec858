// Predict: how many VMAs does the process have at the end? Work it out from the calls, write
// your number in `prediction`, then press Check. (The process starts with 22 VMAs.)
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } from "mergeable";

const prediction = 25;  // 22 + 1 (mmap) + 2 (split in three) + 0 (page 0 trims the first piece) - 1 (pages 8-11 join 4-7) + 1 (hole at page 10)

const p = boot().spawn();
const P = PAGE_SIZE;
const a = p.mmap(0x100000000, 12 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.mprotect(a + 4 * P, 4 * P, PROT_READ);   // pages 4-7 read-only
p.munmap(a, P);                            // page 0 goes away
p.mprotect(a + 8 * P, 4 * P, PROT_READ);   // pages 8-11 read-only
p.munmap(a + 10 * P, P);                   // page 10 goes away

console.log(prediction === p.map_count ? "prediction correct" : `you predicted ${prediction}, map_count is ${p.map_count}`);
