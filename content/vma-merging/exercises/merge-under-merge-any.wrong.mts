// A plausible wrong answer, which the checker must reject (tests/exercises):
// making both mappings read-only: they merge, with mg, but are no longer rw-p.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const proc = kernel.spawn();
proc.prctl(PR_SET_MEMORY_MERGE, 1);
const rw = PROT_READ | PROT_WRITE;

const a = proc.mmap(0x100000000, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
const b = proc.mmap(a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);

proc.mprotect(b, 4 * PAGE_SIZE, PROT_READ);
proc.mprotect(a, 4 * PAGE_SIZE, PROT_READ);
