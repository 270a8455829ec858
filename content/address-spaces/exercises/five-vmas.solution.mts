// Split this 8-page mapping into exactly 5 VMAs, using only mprotect().
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } from "mergeable";

const p = boot().spawn();
const P = PAGE_SIZE;
const a = p.mmap(0x100000000, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);

// Two read-only islands that do not touch: rw | ro | rw | ro | rw
p.mprotect(a + 1 * P, P, PROT_READ);
p.mprotect(a + 3 * P, P, PROT_READ);
