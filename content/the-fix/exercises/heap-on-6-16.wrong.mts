// A plausible wrong answer, which the checker must reject (tests/exercises):
// growing the heap once by all 16 pages: one VMA with mg, but not the program's four sbrk() calls.
import { boot, PAGE_SIZE, PR_SET_MEMORY_MERGE } from "mergeable";

const p = boot().spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
p.sbrk(16 * PAGE_SIZE);
