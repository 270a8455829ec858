// tools/testing/selftests/mm/merge.c, forked_target_vma: after fork() the child's copy of a faulted
// VMA is linked to its parent's anon_vma too, and a new mapping next to it does not merge.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE } from "mergeable";

const parent = boot().spawn();
const rw = PROT_READ | PROT_WRITE;
const a = parent.mmap(0x100000000, 5 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
parent.memset(a, 0x11, 5 * PAGE_SIZE);

const child = parent.fork();
child.memset(a, 0x22, 5 * PAGE_SIZE);   // the child writes: its own copies of the pages
child.mmap(a + 5 * PAGE_SIZE, 5 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
// @expect 6.18: 2 VMAs
// @expect 6.16: 2 VMAs
// @expect 6.15: 2 VMAs
// @expect 6.1: 2 VMAs
