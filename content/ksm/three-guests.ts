// Three processes stand in for three VMs booted from the same image: each has 4 pages of the
// same "runtime" and 1 page of its own data. KSM keeps one copy of each runtime page.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MADV_MERGEABLE } from "mergeable";

const kernel = boot();
for (let guest = 1; guest <= 3; guest++) {
  const p = kernel.spawn();
  const ram = p.mmap(0, 5 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  for (let i = 0; i < 4; i++) p.memset(ram + i * PAGE_SIZE, 0x10 + i, PAGE_SIZE);  // runtime page i
  p.memset(ram + 4 * PAGE_SIZE, 0x80 + guest, PAGE_SIZE);                            // this guest's data
  p.madvise(ram, 5 * PAGE_SIZE, MADV_MERGEABLE);
}
kernel.writeSysfs("run", 1);
kernel.ksmd.runFullScans(2);
for (const f of ["pages_shared", "pages_sharing", "pages_unshared"]) console.log(`${f} ${kernel.sysfs(f)}`);
// @expect 6.17: log "pages_shared 4", log "pages_sharing 8", log "pages_unshared 3"
