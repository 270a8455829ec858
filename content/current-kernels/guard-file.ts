// Guard regions in a private file mapping (6.15+). Until 6.18.36, madvise_guard_install() gave
// every VMA an anon_vma, so fork would copy the markers; two file VMAs guarded apart got two
// anon_vmas and never merged again. 6.19 (and 6.18.37) prepares an anon_vma only for anonymous
// VMAs and copies page tables of VM_MAYBE_GUARD VMAs on fork instead (VM_COPY_ON_FORK).
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_FIXED_NOREPLACE, O_RDWR, O_CREAT,
         MADV_DONTDUMP, MADV_DODUMP, MADV_GUARD_INSTALL } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const a = 0x600000000000;
const fd = p.open("/data/guarded", O_RDWR | O_CREAT);
p.ftruncate(fd, 2 * PAGE_SIZE);
const rw = PROT_READ | PROT_WRITE, priv = MAP_PRIVATE | MAP_FIXED_NOREPLACE;
p.mmap(a, PAGE_SIZE, rw, priv, fd, 0);
p.mmap(a + PAGE_SIZE, PAGE_SIZE, rw, priv, fd, PAGE_SIZE);   // joins the first: one VMA
p.madvise(a, PAGE_SIZE, MADV_DONTDUMP);                      // split: page 0 is "dd"
p.madvise(a, PAGE_SIZE, MADV_GUARD_INSTALL);                 // each half guarded on its own
p.madvise(a + PAGE_SIZE, PAGE_SIZE, MADV_GUARD_INSTALL);
p.madvise(a, PAGE_SIZE, MADV_DODUMP);                        // the flags match again: merge?
const vmas = p.vmas().filter((v) => v.start >= a && v.end <= a + 2 * PAGE_SIZE);
console.log(`${vmas.length} VMA(s), anon_vma: ${vmas.map((v) => (v.anonVma === null ? "none" : "yes")).join(", ")}`);
// @expect 6.18: 2 VMAs, file, log "2 VMA(s), anon_vma: yes, yes"
// @expect 6.18.21: 2 VMAs
// @expect 6.18.37: 1 VMA, log "1 VMA(s), anon_vma: none"
// @expect 6.19: 1 VMA, file, log "1 VMA(s), anon_vma: none"
