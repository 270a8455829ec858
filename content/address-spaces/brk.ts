// The heap: brk() moves the end of the [heap] VMA, which grows and shrinks in place.
import { boot, PAGE_SIZE } from "mergeable";

const p = boot().spawn();
const heap = () => p.vmas().filter((v) => v.name === "[heap]");
const show = (what: string) => console.log(`${what}: ${heap().length} [heap] VMA, ${(heap()[0].end - heap()[0].start) / PAGE_SIZE} pages`);

show("at start");
p.sbrk(16 * PAGE_SIZE);    // malloc() asking for more
show("after sbrk(+16 pages)");
p.sbrk(-24 * PAGE_SIZE);   // free() trimming the top (M_TRIM_THRESHOLD)
show("after sbrk(-24 pages)");
// @expect 6.18: 1 VMA, log "after sbrk(+16 pages): 1 [heap] VMA, 49 pages", log "after sbrk(-24 pages): 1 [heap] VMA, 25 pages"
