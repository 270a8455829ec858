// PR_SET_MEMORY_MERGE marks the VMAs a process already has, in place: those KSM can handle get
// VM_MERGEABLE ("mg"), the others (shared, VM_SPECIAL, hugetlb) are left alone.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_SHARED, MAP_ANONYMOUS, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE, O_RDWR } from "mergeable";

const p = boot().spawn();
const rw = PROT_READ | PROT_WRITE;
const anon = p.mmap(0x100000000, 2 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS);
const shared = p.mmap(0x100100000, 2 * PAGE_SIZE, rw, MAP_SHARED | MAP_ANONYMOUS);
const dev = p.mmap(0x100200000, 2 * PAGE_SIZE, rw, MAP_PRIVATE, p.open("/dev/mem", O_RDWR), 0);
const before = p.map_count;

p.prctl(PR_SET_MEMORY_MERGE, 1);   // EINVAL before 6.4

const mg = (addr: number) => p.vmas().find((v) => v.start === addr)!.vmflags.split(" ").includes("mg") ? "mg" : "no mg";
console.log(`private anonymous: ${mg(anon)}, shared anonymous: ${mg(shared)}, /dev/mem: ${mg(dev)}`);
console.log(`map_count ${before} -> ${p.map_count}, PR_GET_MEMORY_MERGE = ${p.prctl(PR_GET_MEMORY_MERGE)}`);
// @expect 6.18: log "private anonymous: mg, shared anonymous: no mg, /dev/mem: no mg", log "map_count 25 -> 25, PR_GET_MEMORY_MERGE = 1"
// @expect 6.4: log "private anonymous: mg, shared anonymous: no mg, /dev/mem: no mg"
// @expect 6.3: EINVAL
