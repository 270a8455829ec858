// A plausible wrong answer, which the checker must reject (tests/exercises):
// unmapping the page: writing to it fails, but the buffer is two VMAs of three pages, with no gu.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE,
         MADV_GUARD_INSTALL, KernelError } from "mergeable";

const p = boot().spawn();
const buf = 0x600000000000;
p.mmap(buf, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.munmap(buf + 2 * PAGE_SIZE, PAGE_SIZE);
void MADV_GUARD_INSTALL;

const write = (page: number) => {
  try {
    p.poke(buf + page * PAGE_SIZE, 1);
    console.log(`write page ${page}: ok`);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    console.log(`write page ${page}: ${e.errno}`);      // EFAULT: the engine's word for SIGSEGV
  }
};
write(2);
write(1);
console.log(`flags: ${p.vmasIn(buf, buf + 4 * PAGE_SIZE).map((v) => v.vmflags).join(" | ")}`);
