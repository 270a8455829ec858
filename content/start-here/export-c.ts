// toC() turns the step trace into a C program that makes the same calls on a real kernel and
// prints the VMAs they leave in /proc/self/maps.
import { boot, toC, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const rw = PROT_READ | PROT_WRITE;
const a = p.mmap(0x100000000, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mmap(a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);

const c = toC(kernel.trace);
console.log(c.split("\n")[0]);   // the header line: how many calls, how to build it
console.log(c);                  // the whole program
