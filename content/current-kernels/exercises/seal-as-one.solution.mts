// The reference solution: two mseal() calls, each merging one neighbour into the sealed VMA.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, PROT_EXEC, MAP_PRIVATE, MAP_ANONYMOUS,
         MAP_FIXED_NOREPLACE } from "mergeable";

const p = boot().spawn();
const a = 0x600000000000;
const rwx = PROT_READ | PROT_WRITE | PROT_EXEC, anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
p.mmap(a, PAGE_SIZE, rwx, anon);
p.mmap(a + PAGE_SIZE, PAGE_SIZE, rwx, anon);
p.mmap(a + 2 * PAGE_SIZE, PAGE_SIZE, rwx, anon);
p.mseal(a + PAGE_SIZE, PAGE_SIZE, 0);          // the middle page, sealed on its own

p.mseal(a, 2 * PAGE_SIZE, 0);
p.mseal(a + 2 * PAGE_SIZE, PAGE_SIZE, 0);

const page = (x: number) => (x - a) / PAGE_SIZE;
const vmas = p.vmasIn(a, a + 3 * PAGE_SIZE);
console.log(`sealed: ${vmas.map((v) => `[${page(v.start)},${page(v.end)})${v.vmflags.split(" ").includes("sl") ? " sl" : ""}`).join(" ")}`);
