// The fix's behaviour matrix: under merge-any, map two adjacent 4-page MAP_PRIVATE mappings
// (linear file offsets) of each kind of backing, and count the VMAs they end up in.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, PR_SET_MEMORY_MERGE, O_RDWR, type Process } from "mergeable";

const kernel = boot();
const rw = PROT_READ | PROT_WRITE;
const len = 4 * PAGE_SIZE;

function adjacent(what: string, open: (p: Process) => number): void {
  const p = kernel.spawn();
  p.prctl(PR_SET_MEMORY_MERGE, 1);
  const fd = open(p);
  const flags = fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_PRIVATE;
  const hi = p.mmap(0, len, rw, flags, fd, fd < 0 ? 0 : len);
  const lo = p.mmap(hi - len, len, rw, flags, fd, 0);       // just below: offsets 0 and 4 pages
  const vmas = p.vmas().filter((v) => v.end > lo && v.start < hi + len);
  console.log(`${what}: ${vmas.length} VMA(s), mg on ${vmas.filter((v) => v.vmflags.includes("mg")).length}`);
}

adjacent("anonymous", () => -1);
adjacent("memfd (shmem)", (p) => { const fd = p.memfd_create("guest-ram"); p.ftruncate(fd, 2 * len); return fd; });
adjacent("ext4 file", (p) => p.open("/var/lib/mergeable/data.bin", O_RDWR));
adjacent("/dev/zero", (p) => p.open("/dev/zero", O_RDWR));

const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const before = p.map_count;
for (let i = 0; i < 4; i++) p.sbrk(4 * PAGE_SIZE);
console.log(`brk: map_count +${p.map_count - before} after 4 heap growths`);
// @expect 6.16: log "anonymous: 2 VMA(s), mg on 2", log "memfd (shmem): 2 VMA(s), mg on 2", log "ext4 file: 2 VMA(s), mg on 2", log "/dev/zero: 2 VMA(s), mg on 2", log "brk: map_count +4 after 4 heap growths"
// @expect 6.17: log "anonymous: 1 VMA(s), mg on 1", log "memfd (shmem): 1 VMA(s), mg on 1", log "ext4 file: 1 VMA(s), mg on 1", log "/dev/zero: 2 VMA(s), mg on 2", log "brk: map_count +0 after 4 heap growths"
