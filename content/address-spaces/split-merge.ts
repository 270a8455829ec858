// mmap creates a VMA; mprotect and munmap split it; mprotect back lets the pieces merge again.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } from "mergeable";

const p = boot().spawn();
const rw = PROT_READ | PROT_WRITE;
const log = (what: string) => console.log(`${what}: map_count ${p.map_count}`);

log("start");
const a = p.mmap(0x100000000, 8 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS);
log("mmap 8 pages");
p.mprotect(a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ);
log("mprotect pages 2-3 read-only");
p.munmap(a + 5 * PAGE_SIZE, PAGE_SIZE);
log("munmap page 5");
p.mprotect(a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, rw);
log("mprotect pages 2-3 back");
// @expect 6.18: 2 VMAs, log "mmap 8 pages: map_count 23", log "mprotect pages 2-3 read-only: map_count 25", log "munmap page 5: map_count 26", log "mprotect pages 2-3 back: map_count 24"
