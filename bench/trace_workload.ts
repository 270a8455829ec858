/**
 * The workload of bench/trace_off.ts: VMA calls that merge and refuse to merge (mprotect, mmap
 * over mmap, munmap, mremap, brk) and KSM work (madvise(MADV_MERGEABLE), writes, ksmd full
 * scans), on a small address space, with tracing on or off. No Node API.
 */
import {
  boot, MADV_MERGEABLE, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MREMAP_MAYMOVE, PROT_EXEC, PROT_READ, PROT_WRITE,
} from "../src/engine/index.ts";

const PG = 4096;

export interface WorkloadResult { ns: number; calls: number; steps: number; mapCount: number }

export function traceWorkload(rounds: number, trace: boolean, version = "6.18"): WorkloadResult {
  const k = boot({ version, trace });
  const p = k.spawn();
  k.writeSysfs("run", 1);
  const t0 = performance.now();
  const base = p.mmap(0, 64 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  const fixed = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
  for (let r = 0; r < rounds; r++) {
    const a = base + (r % 60) * PG;
    p.mprotect(a, PG, PROT_READ); // split, then an existing-range merge back
    p.mprotect(a, PG, PROT_READ | PROT_WRITE);
    p.mmap(a + PG, PG, PROT_READ | PROT_EXEC, fixed); // flags differ: no merge, reasons on both sides
    p.mmap(a + PG, PG, PROT_READ | PROT_WRITE, fixed); // merges with both
    p.madvise(a, 2 * PG, MADV_MERGEABLE);
    p.memset(a, 7, 2 * PG);
    if (r % 16 === 0) {
      const m = p.mremap(a + 2 * PG, PG, 2 * PG, MREMAP_MAYMOVE);
      p.munmap(m, 2 * PG);
      p.mmap(a + 2 * PG, PG, PROT_READ | PROT_WRITE, fixed);
      p.brk(p.brk(0) + PG);
      k.ksmd.runFullScans(1);
    }
  }
  const ns = (performance.now() - t0) * 1e6;
  return { ns, calls: k.tracer.calls, steps: k.tracer.steps.length, mapCount: p.map_count };
}
