// vm.max_map_count limits the VMAs of a process. Punching holes splits a VMA, one more each time.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, KernelError } from "mergeable";

const kernel = boot();
kernel.sysctl("vm.max_map_count", 25);
const p = kernel.spawn();
const a = p.mmap(0x100000000, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
console.log(`after mmap: map_count ${p.map_count}`);
try {
  for (let i = 1; i <= 8; i++) {
    p.munmap(a + (2 * i - 1) * PAGE_SIZE, PAGE_SIZE);   // a one-page hole inside the VMA
    console.log(`hole ${i}: map_count ${p.map_count}`);
  }
} catch (e) {
  if (!(e instanceof KernelError)) throw e;
  console.log(`the next hole: ${e.errno} at map_count ${p.map_count}`);
}
// @expect 6.18: ENOMEM, map_count 25, log "hole 2: map_count 25", log "the next hole: ENOMEM at map_count 25"
