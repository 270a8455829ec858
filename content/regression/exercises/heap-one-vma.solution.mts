// On 6.16, under merge-any, every brk() growth adds a [heap] VMA.
// Make the heap one VMA again, keeping merge-any on and the heap mergeable.
import { boot, PROT_READ, PROT_WRITE, PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const proc = kernel.spawn();
proc.prctl(PR_SET_MEMORY_MERGE, 1);

const heap = proc.mm.start_brk;        // where the heap starts
for (let i = 0; i < 4; i++) proc.sbrk(4096);
const end = proc.brk(0);              // the current break

// The five VMAs are identical but for the merges brk() could not do. An existing-range change
// re-evaluates them: read-only merges them left to right, read-write again keeps them merged.
proc.mprotect(heap, end - heap, PROT_READ);
proc.mprotect(heap, end - heap, PROT_READ | PROT_WRITE);
const n = proc.vmasIn(heap, end).length;
console.log(`heap: ${n} VMA${n === 1 ? "" : "s"}`);
