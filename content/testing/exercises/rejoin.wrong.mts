// A plausible wrong answer, which the checker must reject (tests/exercises):
// making both halves read-only: one VMA with mg, but no longer rw-p.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";

const p = boot().spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const at = 0x600000000000;
p.mmap(at, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mmap(at + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mprotect(at + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ);
p.mprotect(at, 4 * PAGE_SIZE, PROT_READ);
