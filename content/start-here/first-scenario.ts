// Two anonymous mappings, one right after the other. Press Run, or read the output below.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE } from "mergeable";

const kernel = boot();          // the kernel version chosen in the toolbar
const p = kernel.spawn();       // a process with a program, libc, a heap and a stack
const rw = PROT_READ | PROT_WRITE;

const a = p.mmap(0x100000000, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mmap(a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
console.log(`map_count = ${p.map_count}`);
// @expect 6.18: 1 VMA, no error, log "map_count = 23"
// @expect 6.1: 1 VMA, no error
