// A plausible wrong answer, which the checker must reject (tests/exercises):
// turning merge-any on after the two mmap() calls: they merged already, one VMA on both kernels.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";

const p = boot().spawn();
const at = 0x600000000000;
p.mmap(at, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mmap(at + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.prctl(PR_SET_MEMORY_MERGE, 1);
