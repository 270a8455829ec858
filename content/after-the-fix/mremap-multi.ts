// Moving a range that holds two VMAs and a hole with one mremap(): allowed from 6.17
// ("mm/mremap: permit mremap() move of multiple VMAs"), EFAULT before.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE,
         MREMAP_MAYMOVE, MREMAP_FIXED, KernelError } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const src = 0x600000000000, dst = 0x610000000000;
const rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
p.mmap(src, 2 * PAGE_SIZE, rw, anon);                          // pages 0-1
p.mmap(src + 3 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ, anon);   // pages 3-4, read-only; page 2 is a hole
try {
  // Same length, MREMAP_FIXED: a pure move of everything in [src, src + 5 pages).
  p.mremap(src, 5 * PAGE_SIZE, 5 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
  const moved = p.vmas().filter((v) => v.start >= dst && v.end <= dst + 5 * PAGE_SIZE);
  console.log(`moved: ${moved.map((v) => `[${(v.start - dst) / PAGE_SIZE},${(v.end - dst) / PAGE_SIZE}) ${v.perms}`).join(" ")}`);
} catch (e) {
  if (!(e instanceof KernelError)) throw e;
  console.log(`mremap: ${e.errno}`);
}
// @expect 6.16: EFAULT, log "mremap: EFAULT"
// @expect 6.17: no error, log "moved: [0,2) rw-p [3,5) r--p"
