// A plausible wrong answer, which the checker must reject (tests/exercises):
// predicting that 6.17 is as broken as 6.16: 8 VMAs on both.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";

const predicted: Record<string, number> = { "6.16": 8, "6.17": 8 };

const kernel = boot();
const proc = kernel.spawn();
proc.prctl(PR_SET_MEMORY_MERGE, 1);
const top = 0x200000000;
for (let i = 1; i <= 8; i++) {
  proc.mmap(top - i * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
}
const n = proc.vmasIn(top - 8 * PAGE_SIZE, top).length;
console.log(n === predicted[kernel.version] ? "prediction correct" : `not quite: ${n} VMAs on ${kernel.version}`);
