// A regression test for cf7e7a3503df: it must give a different answer on 6.16 (broken) and 6.17
// (fixed). As written it maps two adjacent pages and both kernels merge them. Make it tell them apart.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE } from "mergeable";

const p = boot().spawn();
const at = 0x600000000000;
p.mmap(at, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.mmap(at + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
