// The 6.12 rework replaced vma_merge() but kept its outcomes: the same calls, the same VMAs.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, PROT_NONE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, MADV_DONTFORK, MADV_DOFORK } from "mergeable";

const p = boot().spawn();
const rw = PROT_READ | PROT_WRITE;
const counts: number[] = [];
const note = () => counts.push(p.vmas().filter((v) => v.start >= 0x100000000 && v.end <= 0x10000c000).length);

const a = p.mmap(0x100000000, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mmap(a + 8 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mmap(a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE); // fills the gap
note();
p.mprotect(a + 3 * PAGE_SIZE, 6 * PAGE_SIZE, PROT_NONE);   // a hole in the middle
note();
p.madvise(a, 12 * PAGE_SIZE, MADV_DONTFORK);               // VM_DONTCOPY on all three pieces
note();
p.mprotect(a + 3 * PAGE_SIZE, 6 * PAGE_SIZE, rw);
p.madvise(a, 12 * PAGE_SIZE, MADV_DOFORK);
note();
console.log(`VMAs after each stage: ${counts.join(", ")}`);
// @expect 6.11: 1 VMA, log "VMAs after each stage: 1, 3, 3, 1"
// @expect 6.12: 1 VMA, log "VMAs after each stage: 1, 3, 3, 1"
// @expect 6.1: log "VMAs after each stage: 1, 3, 3, 1"
