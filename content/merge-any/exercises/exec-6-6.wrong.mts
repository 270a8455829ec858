// A plausible wrong answer, which the checker must reject (tests/exercises):
// asking again in the parent, before execve(): on 6.6 exec still drops MMF_VM_MERGE_ANY.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const parent = kernel.spawn();
parent.prctl(PR_SET_MEMORY_MERGE, 1);
parent.prctl(PR_SET_MEMORY_MERGE, 1);
const child = parent.fork();
child.execve();

const buf = child.mmap(0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
child.memset(buf, 0x2a, 8 * PAGE_SIZE);
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);
console.log(`ksm_merging_pages = ${child.ksm_merging_pages().trim()}`);
