// Patches 1 and 2 change how ksm_compatible() is called (flags and file instead of a VMA) and
// spelled (VM_SPECIAL), not what it accepts. Ask for MADV_MERGEABLE on four kinds of VMA.
import { boot, PAGE_SIZE, PROT_NONE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_SHARED, MAP_ANONYMOUS, MAP_FIXED,
         MADV_MERGEABLE, O_RDWR } from "mergeable";

const kernel = boot();
const p = kernel.spawn();
const rw = PROT_READ | PROT_WRITE;
// A PROT_NONE carveout, as the kernel's selftests use; each case gets its own page, with a gap between.
const c = p.mmap(0, 8 * PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
const mem = p.open("/dev/mem", O_RDWR);
const data = p.open("/var/lib/mergeable/data.bin", O_RDWR);
const cases: [string, number][] = [
  ["private anonymous", p.mmap(c + 1 * PAGE_SIZE, PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)],
  ["private ext4 file", p.mmap(c + 3 * PAGE_SIZE, PAGE_SIZE, rw, MAP_PRIVATE | MAP_FIXED, data, 0)],
  ["shared anonymous", p.mmap(c + 5 * PAGE_SIZE, PAGE_SIZE, rw, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED)],
  ["private /dev/mem", p.mmap(c + 7 * PAGE_SIZE, PAGE_SIZE, rw, MAP_PRIVATE | MAP_FIXED, mem, 0)],
];
for (const [what, addr] of cases) {
  const ret = p.madvise(addr, PAGE_SIZE, MADV_MERGEABLE);   // incompatible VMAs: ignored, returns 0
  const mg = p.vmas().find((v) => v.start === addr)!.vmflags.includes("mg");
  console.log(`${what}: madvise = ${ret}, ${mg ? "mg" : "no mg"}`);
}
// @expect 6.16: log "private anonymous: madvise = 0, mg", log "private ext4 file: madvise = 0, mg", log "shared anonymous: madvise = 0, no mg", log "private /dev/mem: madvise = 0, no mg"
// @expect 6.17: log "private anonymous: madvise = 0, mg", log "private ext4 file: madvise = 0, mg", log "shared anonymous: madvise = 0, no mg", log "private /dev/mem: madvise = 0, no mg"
