// The heap grows with brk() in a process with merge-any enabled.
import { boot, PAGE_SIZE, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);

for (let i = 0; i < 4; i++) {
  p.sbrk(4 * PAGE_SIZE);   // malloc() asking the kernel for more heap
}
// @expect 6.16: 5 VMAs
// @expect 6.17: 1 VMA
