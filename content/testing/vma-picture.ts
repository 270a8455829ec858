// tools/testing/vma's simple_merge, on the engine: VMAs at pages 0 and 2 (pgoff 0 and 2), then a
// new range at page 1 (pgoff 1) fills the hole; all three become one VMA with pgoff 0.
import { boot, picture, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const base = 0x600000000000;   // an empty part of the address space
const map = (page: number) => p.mmap(base + page * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
const row = () => picture(p.vmas(), base, base + 3 * PAGE_SIZE, { legend: false }).split("\n")[1];

map(0); map(2);
console.log(`before: [${row()}]`);
map(1);
console.log(`after:  [${row()}]`);
const v = p.vmas().find((x) => x.start === base)!;
console.log(`[${(v.start - base) / PAGE_SIZE}, ${(v.end - base) / PAGE_SIZE}) pgoff ${v.pgoff - base / PAGE_SIZE} from the base`);
// @expect 6.17: 1 VMA, log "before: [A B]", log "after:  [AAA]"
