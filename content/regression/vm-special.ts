// A driver mapping of I/O memory: remap_pfn_range() makes it VM_IO | VM_PFNMAP (VM_SPECIAL).
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, PR_SET_MEMORY_MERGE, O_RDWR } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);

const fd = p.open("/dev/mem", O_RDWR);
const hi = p.mmap(0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 2 * PAGE_SIZE);
p.mmap(hi - 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

const dev = p.vmas().filter((v) => v.file === "/dev/mem");
console.log(`/dev/mem VMAs: ${dev.length}, with mg: ${dev.filter((v) => v.vmflags.includes("mg")).length}`);
// @expect 6.16: log "/dev/mem VMAs: 2, with mg: 0"
// @expect 6.17: log "/dev/mem VMAs: 2, with mg: 0"
