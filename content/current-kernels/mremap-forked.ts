// A forked child moves a faulted VMA away, maps an unfaulted one next to where it was, and moves
// it back. 6.16-6.18.7 merge the two (copy_vma() passes no source, so is_mergeable_anon_vma()
// never asks whether it came from fork), and the merged VMA keeps the unfaulted one's missing
// anon_vma: the use-after-free 61f67c230a5e and 3b617fd3d317 fix. From 6.18.8 and 6.19,
// vmg->copied_from names the source and vma_is_fork_child() refuses.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, MAP_FIXED,
         MREMAP_MAYMOVE, MREMAP_FIXED } from "mergeable";

const kernel = boot();
const parent = kernel.spawn();
const a = 0x600000000000, away = 0x610000000000;
const rw = PROT_READ | PROT_WRITE;
parent.mmap(a, 2 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
parent.poke(a, 1);                                         // faulted: it has an anon_vma
const p = parent.fork();                                   // the child's copy is a fork child
p.mremap(a, 2 * PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, away);
p.mmap(a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);   // unfaulted
p.mremap(away, 2 * PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, a);          // back in front of it
const vmas = p.vmas().filter((v) => v.start >= a && v.end <= a + 4 * PAGE_SIZE);
console.log(`child: ${vmas.length} VMA(s)`);
// @expect 6.15: 2 VMAs, log "child: 2 VMA(s)"
// @expect 6.16: 1 VMA, log "child: 1 VMA(s)"
// @expect 6.18.3: 1 VMA, log "child: 1 VMA(s)"
// @expect 6.18.8: 2 VMAs
// @expect 6.19: 2 VMAs, log "child: 2 VMA(s)"
