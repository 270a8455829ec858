// A plausible wrong answer, which the checker must reject (tests/exercises):
// moving only the first VMA: no error and still two VMAs, but the read-only one stays behind at src.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE,
         MREMAP_MAYMOVE, MREMAP_FIXED } from "mergeable";

const p = boot().spawn();
const src = 0x600000000000, dst = 0x610000000000;
const anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
p.mmap(src, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, anon);
p.mmap(src + 3 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ, anon);
p.mremap(src, 2 * PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
const at = (x: number) => p.vmasIn(x, x + 5 * PAGE_SIZE).length;
console.log(`at src: ${at(src)} VMAs, at dst: ${at(dst)} VMAs`);
