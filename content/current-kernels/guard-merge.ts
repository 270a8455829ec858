// MADV_GUARD_INSTALL (6.13) puts guard markers in the page tables: touching a guarded page is a
// SIGSEGV, and the VMA is not split. From 6.19 (and 6.18.37 stable) the VMA is also marked
// VM_MAYBE_GUARD ("gu"), a sticky flag: is_mergeable_vma() ignores it and a merge keeps it.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE,
         MADV_GUARD_INSTALL, KernelError } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const a = 0x600000000000;
const rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
const attempt = (what: string, f: () => unknown) => {
  try {
    f();
    console.log(`${what}: ok`);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    console.log(`${what}: ${e.errno}`);
  }
};
p.mmap(a, 2 * PAGE_SIZE, rw, anon);
attempt("guard page 0", () => p.madvise(a, PAGE_SIZE, MADV_GUARD_INSTALL));
attempt("write page 0", () => p.poke(a, 1));        // EFAULT: the engine's word for SIGSEGV
p.mmap(a + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ, anon);
p.mprotect(a + 2 * PAGE_SIZE, PAGE_SIZE, rw);       // vma_merge_existing_range() with the guarded VMA
p.mmap(a + 3 * PAGE_SIZE, PAGE_SIZE, rw, anon);     // vma_merge_new_range() → vma_expand()
const vmas = p.vmas().filter((v) => v.start >= a && v.end <= a + 4 * PAGE_SIZE);
console.log(`${vmas.length} VMA: ${vmas.map((v) => v.vmflags).join(" | ")}`);
// @expect 6.12: log "guard page 0: EINVAL", log "write page 0: ok", 1 VMA
// @expect 6.18: log "guard page 0: ok", log "write page 0: EFAULT", 1 VMA, log "1 VMA: rd wr mr mw me ac sd"
// @expect 6.18.37: 1 VMA, log "1 VMA: rd wr mr mw me gu ac sd"
// @expect 6.19: 1 VMA, log "1 VMA: rd wr mr mw me gu ac sd"
// @expect 7.1: 1 VMA, log "1 VMA: rd wr mr mw me gu ac sd"
