// File mappings merge only if they map the same open file at contiguous offsets.
import { boot, PAGE_SIZE, PROT_READ, MAP_PRIVATE, MAP_FIXED_NOREPLACE, O_RDWR, O_CREAT } from "mergeable";

const p = boot().spawn();
const fd = p.open("/data/file", O_RDWR | O_CREAT);
p.ftruncate(fd, 16 * PAGE_SIZE);
const map = (addr: number, file: number, page: number) =>
  p.mmap(addr, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, file, page * PAGE_SIZE);
const count = (at: number) => p.vmas().filter((v) => v.start >= at && v.end <= at + 4 * PAGE_SIZE).length;

// 1. pages 0-1 and 2-3 of the file, side by side: contiguous
map(0x100000000, fd, 0); map(0x100002000, fd, 2);
// 2. pages 0-1 and 8-9: not contiguous
map(0x100100000, fd, 0); map(0x100102000, fd, 8);
// 3. pages 0-1 and 2-3, but the second through another open() of the same file
const fd2 = p.open("/data/file", O_RDWR);
map(0x100200000, fd, 0); map(0x100202000, fd2, 2);

console.log(`contiguous: ${count(0x100000000)}, offsets 0 and 8: ${count(0x100100000)}, two open()s: ${count(0x100200000)}`);
// @expect 6.18: 5 VMAs, log "contiguous: 1, offsets 0 and 8: 2, two open()s: 2"
