// selftests/mm/merge.c merge_vmas_with_mseal, with a third RWX VMA: sealing RWX | RWX sealed | RWX
// in one mseal(). The first VMA merges into the sealed second; then mseal_apply() of 6.17-6.18.20
// and 6.19.0 starts the third piece at the first one's old end, which is now inside the merged
// VMA: no left merge. 2697dd8ae721 (7.0, 6.18.21) takes each piece's start from its VMA.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, PROT_EXEC, MAP_PRIVATE, MAP_ANONYMOUS,
         MAP_FIXED_NOREPLACE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const a = 0x600000000000;
const rwx = PROT_READ | PROT_WRITE | PROT_EXEC, anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
p.mmap(a, PAGE_SIZE, rwx, anon);
p.mmap(a + PAGE_SIZE, PAGE_SIZE, rwx, anon);             // merges with the first...
p.mmap(a + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ, anon);
p.mseal(a + PAGE_SIZE, PAGE_SIZE, 0);                    // ...and is split off again, sealed ("sl")
p.mprotect(a + 2 * PAGE_SIZE, PAGE_SIZE, rwx);
p.mseal(a, 3 * PAGE_SIZE, 0);
const vmas = p.vmas().filter((v) => v.start >= a && v.end <= a + 3 * PAGE_SIZE);
console.log(`sealed: ${vmas.map((v) => `[${(v.start - a) / PAGE_SIZE},${(v.end - a) / PAGE_SIZE})`).join(" ")}`);
// @expect 6.16: 1 VMA, log "sealed: [0,3)"
// @expect 6.17: 2 VMAs, log "sealed: [0,2) [2,3)"
// @expect 6.18.21: 1 VMA
// @expect 6.19: 2 VMAs, log "sealed: [0,2) [2,3)"
// @expect 7.0: 1 VMA, log "sealed: [0,3)"
