// Flags must be equal: a read-only mapping next to a read-write one stays apart, until
// mprotect() gives it the same flags and the kernel merges the two.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE } from "mergeable";

const p = boot().spawn();
const rw = PROT_READ | PROT_WRITE;
const inView = () => p.vmas().filter((v) => v.start >= 0x100000000 && v.end <= 0x100008000).length;

const a = p.mmap(0x100000000, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
const b = p.mmap(a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
console.log(`after mmap: ${inView()} VMAs`);
p.mprotect(b, 4 * PAGE_SIZE, rw);
console.log(`after mprotect: ${inView()} VMA`);
// @expect 6.18: 1 VMA, log "after mmap: 2 VMAs", log "after mprotect: 1 VMA"
// @expect 6.1: 1 VMA, log "after mmap: 2 VMAs"
