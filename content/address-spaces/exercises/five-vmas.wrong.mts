// A plausible wrong answer, which the checker must reject (tests/exercises):
// three read-only single pages: 7 VMAs, not 5.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } from "mergeable";

const p = boot().spawn();
const P = PAGE_SIZE;
const a = p.mmap(0x100000000, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);

p.mprotect(a + 1 * P, P, PROT_READ);
p.mprotect(a + 3 * P, P, PROT_READ);
p.mprotect(a + 5 * P, P, PROT_READ);
