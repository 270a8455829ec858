// Anonymous VMAs named with prctl(PR_SET_VMA_ANON_NAME) merge only with the same name.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_VMA, PR_SET_VMA_ANON_NAME } from "mergeable";

const p = boot().spawn();
const rw = PROT_READ | PROT_WRITE;
const inView = () => p.vmas().filter((v) => v.start >= 0x100000000 && v.end <= 0x100004000).length;

const a = p.mmap(0x100000000, 2 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
p.prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, a, 2 * PAGE_SIZE, "arena");
const b = p.mmap(a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
console.log(`arena next to an unnamed mapping: ${inView()} VMAs`);
p.prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, b, 2 * PAGE_SIZE, "arena");
console.log(`both named arena: ${inView()} VMA`);
// @expect 6.18: 1 VMA, log "arena next to an unnamed mapping: 2 VMAs", log "both named arena: 1 VMA"
