// VM_MERGEABLE is bit 31 of vm_flags: 0x80000000. The VmaView's flags field shows the raw word.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE,
         MADV_MERGEABLE, MADV_UNMERGEABLE } from "mergeable";

const kernel = boot({ config: { softDirty: false } });   // as on this project's test machine
const p = kernel.spawn();
const at = 0x600000000000;
p.mmap(at, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
const flags = () => { const v = p.vmas().find((x) => x.start === at)!; return `${v.flags} (${v.vmflags})`; };
console.log(`new:               ${flags()}`);
p.madvise(at, 4 * PAGE_SIZE, MADV_MERGEABLE);
console.log(`MADV_MERGEABLE:    ${flags()}`);
p.madvise(at, 4 * PAGE_SIZE, MADV_UNMERGEABLE);
console.log(`MADV_UNMERGEABLE:  ${flags()}`);
// @expect 6.17: log "MADV_MERGEABLE:    0x80100073 (rd wr mr mw me ac mg)", log "MADV_UNMERGEABLE:  0x100073 (rd wr mr mw me ac)"
// @expect 6.18: log "MADV_MERGEABLE:    0x80100073 (rd wr mr mw me ac mg)", log "MADV_UNMERGEABLE:  0x100073 (rd wr mr mw me ac)"
