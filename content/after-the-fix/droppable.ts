// MAP_DROPPABLE (6.11) is the one high vm_flags bit a plain mmap() can set here: VM_DROPPABLE,
// bit 40. ksm_compatible() refuses droppable VMAs, so no VMA has both a high bit and mg.
import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_DROPPABLE, MAP_ANONYMOUS, MADV_MERGEABLE, KernelError } from "mergeable";

const kernel = boot({ config: { softDirty: false } });
const p = kernel.spawn();
try {
  const a = p.mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_DROPPABLE | MAP_ANONYMOUS);
  const ret = p.madvise(a, 4 * PAGE_SIZE, MADV_MERGEABLE);   // silently ignored
  const v = p.vmas().find((x) => x.start <= a && x.end > a)!;
  console.log(`droppable: flags ${v.flags} (${v.vmflags}), madvise = ${ret}`);
  console.log(`bit 40 set: ${(BigInt(v.flags) >> 40n) & 1n}, mg: ${v.vmflags.split(" ").includes("mg")}`);
} catch (e) {
  if (!(e instanceof KernelError)) throw e;
  console.log(`mmap(MAP_DROPPABLE): ${e.errno}`);
}
// @expect 6.10: log "mmap(MAP_DROPPABLE): EINVAL"
// @expect 6.11: log "droppable: flags 0x10006200073 (rd wr mr mw me nr wf dd dp), madvise = 0", log "bit 40 set: 1, mg: false"
