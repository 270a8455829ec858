// tools/testing/selftests/mm/merge.c TEST_F(merge, ksm_merge) (4a1ff347e44c, 6.17), step by step.
// The fixture maps a 12-page PROT_NONE "carveout"; every mapping goes MAP_FIXED inside it.
import { boot, picture, PAGE_SIZE, PROT_NONE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED,
         PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const P = PAGE_SIZE;
const carveout = p.mmap(0, 12 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
const map1 = (at: number) => p.mmap(carveout + at * P, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
// One character per page, as in tools/testing/vma; the same letter is the same VMA.
const show = (what: string) => console.log(`${what}: ${picture(p.vmas(), carveout, carveout + 12 * P, { legend: false }).split("\n")[1]}`);

map1(1); map1(2);                    // two pages side by side: they merge
show("without merge-any");
p.munmap(carveout + 2 * P, P);
p.prctl(PR_SET_MEMORY_MERGE, 1);     // merge.c skips the test if this fails with EINVAL (< 6.4)
map1(2);                             // next to a VM_MERGEABLE page now
show("merge-any, remapped page 2");
p.munmap(carveout + P, 2 * P);
map1(1); map1(2);                    // both new under merge-any
show("merge-any, both remapped");
// merge.c's assertion: the VMA holding page 1 ends at page 3.
const v = p.vmas().find((x) => x.start <= carveout + P && x.end > carveout + P)!;
console.log(`VMA at carveout+1 spans ${(v.end - v.start) / P} page(s)`);
p.prctl(PR_SET_MEMORY_MERGE, 0);     // teardown, as in the selftest
// @expect 6.16: log "without merge-any: ABBCCCCCCCCC", log "merge-any, remapped page 2: ABCDDDDDDDDD", log "VMA at carveout+1 spans 1 page(s)"
// @expect 6.17: log "without merge-any: ABBCCCCCCCCC", log "merge-any, remapped page 2: ABBCCCCCCCCC", log "merge-any, both remapped: ABBCCCCCCCCC", log "VMA at carveout+1 spans 2 page(s)"
