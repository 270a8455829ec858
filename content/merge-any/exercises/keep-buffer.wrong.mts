// A plausible wrong answer, which the checker must reject (tests/exercises):
// marking the buffer before turning merge-any off: PR_SET_MEMORY_MERGE 0 clears VM_MERGEABLE from it too.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE } from "mergeable";

const p = boot().spawn();
const buf = p.mmap(0x100000000, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.madvise(buf, 4 * PAGE_SIZE, MADV_MERGEABLE);
p.prctl(PR_SET_MEMORY_MERGE, 1);
p.prctl(PR_SET_MEMORY_MERGE, 0);   // clears VM_MERGEABLE everywhere, madvised ranges included
console.log(`PR_GET_MEMORY_MERGE = ${p.prctl(PR_GET_MEMORY_MERGE)}`);
