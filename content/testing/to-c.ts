// From a scenario to a C reproducer: toC() turns the trace into a program that makes the same
// calls on a real kernel and prints its /proc/self/maps for the range the scenario used.
import { boot, toC, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE,
         PR_SET_MEMORY_MERGE } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
p.prctl(PR_SET_MEMORY_MERGE, 1);
const a = p.mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
p.mmap(a - 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);

const c = toC(kernel.trace, p.pid);
const calls = c.split("\n").filter((l) => /^\s*r = /.test(l)).map((l) => l.trim().replace("r = (long)", "").replace(/\(.*$/, ""));
console.log(`calls: ${calls.join(", ")}`);
console.log(`prints the maps: ${c.includes("/proc/self/maps")}`);
console.log(`compiles with: ${/Build: (.*) \*\//.exec(c)![1]}`);
// @expect 6.17: log "calls: prctl, mmap, mmap", log "prints the maps: true", log "compiles with: cc -o repro repro.c"
