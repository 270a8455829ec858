/**
 * The engine side of the VMA throughput benchmark: the same address space and the same call
 * sequence as bench/vma_ops.c, on the engine with tracing off. No Node API: the same code is timed
 * in Node and in a Chromium page (the runtime of the site's Worker).
 */
import { boot, MAP_ANONYMOUS, MAP_FIXED, MAP_NORESERVE, MAP_PRIVATE, PROT_EXEC, PROT_READ, PROT_WRITE } from "../src/engine/index.ts";

const PG = 4096;

/** The C program's LCG (64-bit), in BigInt for exactness. */
function lcg(): () => number {
  let seed = 42n;
  const M = (1n << 64n) - 1n;
  return () => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & M;
    return Number(seed >> 33n);
  };
}

/** Nanoseconds from performance.now(): in both runtimes (Chromium rounds it to 100 µs without cross-origin isolation, 0.1% of a run). */
const nowNs = (): number => performance.now() * 1e6;

export interface OpsResult { setupNs: number; opsNs: number; calls: number; mapCount: number }

/**
 * Build `nvmas` VMAs, then time `ops` iterations (two calls each) on pages drawn from the first
 * `window` VMAs (default: all of them), as vma_ops.c does with the same arguments.
 */
export function engineVmaOps(nvmas: number, ops: number, version: string, window = nvmas): OpsResult {
  const k = boot({ version, trace: false, config: { softDirty: false } });
  const p = k.spawn();
  const pages = nvmas * 2;
  const span = Math.min(window, nvmas) * 2;
  // The random sequence is drawn before the clock starts, as in vma_ops.c: BigInt arithmetic
  // for the LCG would otherwise be timed as engine work.
  const rnd = lcg();
  const draws = new Float64Array(2 * ops);
  for (let i = 0; i < draws.length; i++) draws[i] = rnd();
  const t0 = nowNs();
  const base = p.mmap(0, pages * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
  for (let v = 1; v < nvmas; v += 2) p.mprotect(base + v * 2 * PG, 2 * PG, PROT_READ | PROT_WRITE);
  const t1 = nowNs();
  let calls = 0;
  const fixed = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE;
  for (let i = 0; i < ops; i++) {
    const page = 2 + (draws[2 * i]! % (span - 4));
    const prot = Math.floor(page / 2) % 2 ? PROT_READ | PROT_WRITE : PROT_READ;
    const a = base + page * PG;
    switch (draws[2 * i + 1]! % 3) {
      case 0:
        p.mprotect(a, PG, PROT_READ | PROT_WRITE | PROT_EXEC);
        p.mprotect(a, PG, prot);
        break;
      case 1:
        p.munmap(a, PG);
        p.mmap(a, PG, prot, fixed);
        break;
      default:
        p.mmap(a, PG, PROT_READ | PROT_WRITE | PROT_EXEC, fixed);
        p.mmap(a, PG, prot, fixed);
        break;
    }
    calls += 2;
  }
  const t2 = nowNs();
  return { setupNs: t1 - t0, opsNs: t2 - t1, calls, mapCount: p.map_count };
}
