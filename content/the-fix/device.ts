// A device mapping: the driver's hook calls remap_pfn_range(), which sets VM_IO | VM_PFNMAP.
// VM_SPECIAL VMAs never merge and ksm_compatible() refuses them: no mg, before and after the fix.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE, O_RDWR } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const fd = p.open("/dev/mem", O_RDWR);
const hi = 0x600000000000;   // far from the rest of the address space, so no other neighbour
p.mmap(hi, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 2 * PAGE_SIZE);
p.mmap(hi - 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
console.log(p.vmas().filter((v) => v.file === "/dev/mem").map((v) => v.vmflags).join(" | "));
// @expect 6.16: 2 VMAs, no mg
// @expect 6.17: 2 VMAs, no mg
