// A device mapping (remap_pfn_range() makes it VM_IO | VM_PFNMAP): VM_SPECIAL VMAs never merge,
// not even after mprotect() gives them identical flags.
import { boot, PAGE_SIZE, PROT_READ, PROT_NONE, MAP_PRIVATE, MAP_FIXED_NOREPLACE, O_RDWR } from "mergeable";

const p = boot().spawn();
const fd = p.open("/dev/mem", O_RDWR);
const a = p.mmap(0x100000000, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
const b = p.mmap(a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 2 * PAGE_SIZE);
// Same flags, same file, contiguous offsets: an existing-range merge is tried, and refused.
p.mprotect(b, 2 * PAGE_SIZE, PROT_NONE);
p.mprotect(b, 2 * PAGE_SIZE, PROT_READ);
const dev = p.vmas().filter((v) => v.file === "/dev/mem");
console.log(`/dev/mem VMAs: ${dev.length}, flags ${dev.map((v) => v.flags).join(" and ")}`);
// @expect 6.18: 2 VMAs, log "/dev/mem VMAs: 2, flags 0xc044471 and 0xc044471"
