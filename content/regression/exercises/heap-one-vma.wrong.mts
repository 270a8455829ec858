// A plausible wrong answer, which the checker must reject (tests/exercises):
// one mprotect(PROT_READ) over the heap: one VMA with mg, but the heap is now r--p.
import { boot, PROT_READ, PROT_WRITE, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const proc = kernel.spawn();
proc.prctl(PR_SET_MEMORY_MERGE, 1);

const heap = proc.mm.start_brk;        // where the heap starts
for (let i = 0; i < 4; i++) proc.sbrk(4096);
const end = proc.brk(0);              // the current break

proc.mprotect(heap, end - heap, PROT_READ);
const n = proc.vmasIn(heap, end).length;
console.log(`heap: ${n} VMA${n === 1 ? "" : "s"}`);
