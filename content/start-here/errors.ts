// A refused call throws a KernelError with the kernel's errno and a sentence saying why.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, KernelError } from "mergeable";

const p = boot().spawn();
const rw = PROT_READ | PROT_WRITE;
const a = p.mmap(0x100000000, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);

try {
  // MAP_FIXED_NOREPLACE refuses to map over an existing mapping.
  p.mmap(a + 2 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
} catch (e) {
  if (!(e instanceof KernelError)) throw e;
  console.log(`mmap failed: ${e.errno} (${e.code})`);
}
// @expect 6.18: EEXIST, log "mmap failed: EEXIST (17)"
