// fork(): the child inherits MMF_VM_MERGE_ANY, and its copies of the VMAs keep VM_MERGEABLE.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE } from "mergeable";

const parent = boot().spawn();
parent.prctl(PR_SET_MEMORY_MERGE, 1);
const rw = PROT_READ | PROT_WRITE;
const a = parent.mmap(0x100000000, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);

const child = parent.fork();
console.log(`child: PR_GET_MEMORY_MERGE = ${child.prctl(PR_GET_MEMORY_MERGE)}`);
child.mmap(a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);   // a new mapping in the child
// @expect 6.4: log "child: PR_GET_MEMORY_MERGE = 1", 2 VMAs, mg
// @expect 6.16: log "child: PR_GET_MEMORY_MERGE = 1", 2 VMAs, mg
// @expect 6.17: 1 VMA, mg
// @expect 6.18: log "child: PR_GET_MEMORY_MERGE = 1", 1 VMA, mg
