// A plausible wrong answer, which the checker must reject (tests/exercises):
// dropping the poke(): the halves merge without an anon_vma, but the task keeps all four calls.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_NORESERVE, MAP_FIXED_NOREPLACE } from "mergeable";

const p = boot().spawn();
const a = p.mmap(0x100000000, 10 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE);
p.mprotect(a, 5 * PAGE_SIZE, PROT_READ);
p.mprotect(a + 5 * PAGE_SIZE, 5 * PAGE_SIZE, PROT_READ);
