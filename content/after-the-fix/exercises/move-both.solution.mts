// On 6.17, move both VMAs and the hole between them to dst with one mremap() call.
// As written, the call fails with EFAULT.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE,
         MREMAP_MAYMOVE, MREMAP_FIXED } from "mergeable";

const p = boot().spawn();
const src = 0x600000000000, dst = 0x610000000000;
const anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
p.mmap(src, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, anon);
p.mmap(src + 3 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ, anon);
// A pure move (MREMAP_FIXED, old_len == new_len) may span several VMAs from 6.17 (remap_move()).
p.mremap(src, 5 * PAGE_SIZE, 5 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
const at = (x: number) => p.vmasIn(x, x + 5 * PAGE_SIZE).length;
console.log(`at src: ${at(src)} VMAs, at dst: ${at(dst)} VMAs`);
