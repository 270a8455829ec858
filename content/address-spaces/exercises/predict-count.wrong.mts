// A plausible wrong answer, which the checker must reject (tests/exercises):
// forgetting that munmap() of page 0 only trims the first piece: 26.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } from "mergeable";

const prediction = 26;

const p = boot().spawn();
const P = PAGE_SIZE;
const a = p.mmap(0x100000000, 12 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.mprotect(a + 4 * P, 4 * P, PROT_READ);   // pages 4-7 read-only
p.munmap(a, P);                            // page 0 goes away
p.mprotect(a + 8 * P, 4 * P, PROT_READ);   // pages 8-11 read-only
p.munmap(a + 10 * P, P);                   // page 10 goes away

console.log(prediction === p.map_count ? "prediction correct" : `you predicted ${prediction}, map_count is ${p.map_count}`);
