// Two adjacent private mappings of the same file, in a merge-any process, on 6.17.
// They should end up as one VMA. Change the backing file so that they do.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE, O_RDWR } from "mergeable";

const p = boot().spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const fd = p.open("/dev/zero", O_RDWR);
const at = 0x600000000000;
p.mmap(at, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
p.mmap(at + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 4 * PAGE_SIZE);
