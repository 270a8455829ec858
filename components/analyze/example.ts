// The "Try an example" input: a 6.16 process under prctl(PR_SET_MEMORY_MERGE, 1), built by the
// engine (so its smaps is what the modelled kernel prints), with the regression's fragmentation,
// a guard page and a file mapped piecewise. Runs in the Worker, on the reader's click.
import { boot, PAGE_SIZE as P, PROT_NONE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS,
  MAP_FIXED, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE, O_RDWR, O_CREAT } from 'mergeable';

export const EXAMPLE_KERNEL = '6.16';

export interface Example { smaps: string; ksmStat: string; kernel: string; source: string }

export function exampleProcess(): Example {
  const k = boot({ version: EXAMPLE_KERNEL, trace: false });
  const p = k.spawn();
  p.prctl(PR_SET_MEMORY_MERGE, 1);
  const RW = PROT_READ | PROT_WRITE;
  // An allocator's arena: one-page mappings placed side by side (MAP_FIXED_NOREPLACE in a hole).
  // On 6.4-6.16 each new mapping gets VM_MERGEABLE only after the merge attempt: 12 VMAs stay 12.
  const n = 12;
  const hole = p.mmap(0, (n + 2) * P, RW, MAP_PRIVATE | MAP_ANONYMOUS) + P;
  p.munmap(hole - P, (n + 2) * P);
  for (let i = 0; i < n; i++) {
    p.mmap(hole + i * P, P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
    p.memset(hole + i * P, i % 3, P); // equal contents, so ksmd has pages to merge
  }
  // A thread stack with its guard page: PROT_NONE below the stack, a split by design.
  const stack = p.mmap(0, 9 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  p.mprotect(stack, P, PROT_NONE);
  p.poke(stack + 8 * P, 1);
  // A data file mapped piece by piece at non-contiguous offsets (pgoff).
  const fd = p.open('/var/lib/app/data.bin', O_RDWR | O_CREAT);
  p.ftruncate(fd, 16 * P);
  const f = p.mmap(0, 4 * P, PROT_READ, MAP_PRIVATE, fd, 0);
  p.mmap(f + 2 * P, 2 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 8 * P);
  // More heap: brk() grows [heap]; the grown part joins it.
  p.sbrk(4 * P);
  k.ksmd.writeSysfs('run', '1'); // echo 1 > /sys/kernel/mm/ksm/run
  k.ksmd.runFullScans(2);
  return { smaps: p.smaps(), ksmStat: p.ksm_stat(), kernel: EXAMPLE_KERNEL, source: 'the example (a 6.16 process under PR_SET_MEMORY_MERGE, built by the engine)' };
}
