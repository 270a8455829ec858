// MAP_PRIVATE mappings of /dev/zero: its driver still has a legacy .mmap hook (mmap_zero), so
// can_set_ksm_flags_early() says no and VM_MERGEABLE is still added after the merge attempt.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, PR_SET_MEMORY_MERGE, O_RDWR } from "mergeable";

const kernel = boot();
const rw = PROT_READ | PROT_WRITE;

function twoMappings(mergeAny: boolean): number {
  const p = kernel.spawn();
  if (mergeAny) p.prctl(PR_SET_MEMORY_MERGE, 1);
  const fd = p.open("/dev/zero", O_RDWR);
  // The second mapping goes just below the first; file offsets 0 and 4 pages keep vm_pgoff linear.
  const hi = p.mmap(0, 4 * PAGE_SIZE, rw, MAP_PRIVATE, fd, 4 * PAGE_SIZE);
  const lo = p.mmap(hi - 4 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE, fd, 0);
  return p.vmas().filter((v) => v.start >= lo && v.end <= hi + 4 * PAGE_SIZE).length;
}

console.log(`without merge-any: ${twoMappings(false)} VMA(s)`);
console.log(`with merge-any: ${twoMappings(true)} VMA(s)`);
// @expect 6.16: log "without merge-any: 1 VMA(s)", log "with merge-any: 2 VMA(s)"
// @expect 6.17: log "without merge-any: 1 VMA(s)", log "with merge-any: 2 VMA(s)"
