// vm.max_map_count caps the number of VMAs of a process. Without merging, it is reached sooner.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, PR_SET_MEMORY_MERGE, KernelError } from "mergeable";

const kernel = boot();
kernel.sysctl("vm.max_map_count", 64);
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);

let mapped = 0;
let page = 0;
try {
  for (let i = 0; i < 100; i++) {
    page = p.mmap(page ? page - PAGE_SIZE : 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    mapped++;
  }
} catch (e) {
  if (!(e instanceof KernelError)) throw e;
  console.log(`mmap number ${mapped + 1} failed: ${e.errno}`);
}
console.log(`mapped ${mapped} of 100 pages, map_count ${p.map_count}`);
// @expect 6.16: ENOMEM, map_count 65, log "mmap number 44 failed: ENOMEM"
// @expect 6.17: no error, log "mapped 100 of 100 pages, map_count 22"
