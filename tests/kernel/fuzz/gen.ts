/**
 * Seeded random call sequences over a small window, so that merges and splits are frequent:
 * mmap (anonymous, MAP_SHARED anonymous, ext4 file, tmpfs file, memfd, /dev/zero), munmap,
 * mprotect, madvise (MADV_POPULATE_* too), mlock/mlock2/munlock, mremap, brk, prctl(PR_SET_MEMORY_MERGE), fork, writes that fault pages in,
 * and bad arguments. A sequence is plain data (addresses relative to the window), so it can be
 * printed, replayed and shrunk.
 */

/** One call. `addr`-like arguments are offsets from the window start unless `abs` is set. */
export interface FuzzOp {
  /** Index of the process: 0 = the spawned one, i = the i-th fork child. */
  pi: number;
  call: "mmap" | "munmap" | "mprotect" | "madvise" | "mremap" | "brk" | "prctl" | "fork" | "poke" | "memset" |
    "mlock" | "mlock2" | "munlock";
  args: number[];
  /** Arguments are absolute (bad-address cases), not window-relative. */
  abs?: boolean;
  /** mmap: which file ("anon", "ext4", "tmpfs", "memfd", "zero"); fd resolved at run time. */
  file?: FileKind;
}

export type FileKind = "anon" | "ext4" | "tmpfs" | "memfd" | "zero";

export interface FuzzSequence {
  seed: number;
  /** Window size in pages (plus one guard page each side inside the carveout). */
  pages: number;
  ops: FuzzOp[];
}

export const P = 4096;
const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
const MAP_FIXED_NOREPLACE = 0x100000, MAP_SHARED_VALIDATE = 3, MAP_POPULATE = 0x8000, MAP_GROWSDOWN = 0x100;
const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
const MADV = { DONTNEED: 4, DONTFORK: 10, DOFORK: 11, MERGEABLE: 12, UNMERGEABLE: 13, HUGEPAGE: 14, NOHUGEPAGE: 15, DONTDUMP: 16, DODUMP: 17, WIPEONFORK: 18, KEEPONFORK: 19, POPULATE_READ: 22, POPULATE_WRITE: 23 };
const TASK_SIZE = 0x7ffffffff000;

/** mulberry32: small, fast, good enough for test generation. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(seed: number, opts: { pages?: number; length?: number } = {}): FuzzSequence {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const pages = opts.pages ?? 12;
  const length = opts.length ?? int(4, 16);
  const ops: FuzzOp[] = [];
  let procs = 1;
  // Page inside the window (with an occasional step onto the guard pages around it).
  const page = () => int(-1, pages);
  const span = () => (chance(0.7) ? int(1, 3) : int(1, pages));
  const prot = () => pick([PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ, 0, PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC]);
  const pi = () => (procs > 1 && chance(0.6) ? procs - 1 : int(0, procs - 1));

  // Exploration aid: MERGEABLE_FUZZ_WITHOUT=mremap,brk leaves those calls out (other divergences
  // hide behind a frequent one). CI runs everything.
  const without = (typeof process !== "undefined" && process.env.MERGEABLE_FUZZ_WITHOUT?.split(",")) || [];
  for (let i = 0; i < length; i++) {
    const k = r();
    const p = pi();
    if (without.length) {
      const probe = [0.3, 0.38, 0.55, 0.66, 0.74, 0.78, 0.83, 0.86, 0.94, 1].findIndex((t) => k < t);
      const names = ["mmap", "munmap", "mprotect", "madvise", "mremap", "brk", "prctl", "fork", "poke", "bad"];
      if (without.includes(names[probe]!)) continue;
    }
    if (k < 0.3) {
      // mmap: mostly fixed anonymous private, the mix of files, hints and NOREPLACE.
      const file: FileKind = chance(0.6) ? "anon" : pick(["ext4", "tmpfs", "memfd", "zero", "anon"] as const);
      const shared = file !== "anon" ? chance(0.4) : chance(0.1);
      let flags = (shared ? MAP_SHARED : MAP_PRIVATE) | (file === "anon" ? MAP_ANONYMOUS : 0);
      const place = r();
      flags |= place < 0.75 ? MAP_FIXED : place < 0.9 ? MAP_FIXED_NOREPLACE : 0;
      if (chance(0.15)) flags |= MAP_NORESERVE;
      const off = file === "anon" || file === "zero" ? 0 : int(0, 6) * P;
      ops.push({ pi: p, call: "mmap", args: [page() * P, span() * P, prot(), flags, -1, off], file });
    } else if (k < 0.38) {
      ops.push({ pi: p, call: "munmap", args: [page() * P, span() * P] });
    } else if (k < 0.55) {
      ops.push({ pi: p, call: "mprotect", args: [page() * P, span() * P, prot()] });
    } else if (k < 0.66) {
      // A quarter of these are mlock()/mlock2(MLOCK_ONFAULT)/munlock(): flag changes that split and merge.
      const m = r();
      if (m < 0.25) {
        const call = pick(["mlock", "mlock2", "munlock", "munlock"] as const);
        ops.push({ pi: p, call, args: call === "mlock2" ? [page() * P, span() * P, 1] : [page() * P, span() * P] });
      } else {
        const adv = pick([MADV.MERGEABLE, MADV.MERGEABLE, MADV.UNMERGEABLE, MADV.DONTFORK, MADV.DOFORK, MADV.WIPEONFORK, MADV.KEEPONFORK, MADV.HUGEPAGE, MADV.NOHUGEPAGE, MADV.DONTDUMP, MADV.DODUMP, MADV.DONTNEED, MADV.POPULATE_READ, MADV.POPULATE_WRITE]);
        ops.push({ pi: p, call: "madvise", args: [page() * P, span() * P, adv] });
      }
    } else if (k < 0.74) {
      const old = page() * P, oldLen = span() * P;
      const m = r();
      if (m < 0.35) ops.push({ pi: p, call: "mremap", args: [old, oldLen, span() * P, 0, 0] });
      else if (m < 0.55) ops.push({ pi: p, call: "mremap", args: [old, oldLen, span() * P, MREMAP_MAYMOVE, 0] });
      else if (m < 0.9) ops.push({ pi: p, call: "mremap", args: [old, oldLen, oldLen, MREMAP_MAYMOVE | MREMAP_FIXED, page() * P] });
      else ops.push({ pi: p, call: "mremap", args: [old, oldLen, oldLen, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, page() * P] });
    } else if (k < 0.78) {
      // brk relative to the initial break: grow, shrink, query.
      ops.push({ pi: p, call: "brk", args: [chance(0.2) ? 0 : int(0, 6) * P + (chance(0.1) ? 123 : 0)] });
    } else if (k < 0.83) {
      const m = r();
      ops.push({ pi: p, call: "prctl", args: m < 0.6 ? [67, 1, 0, 0, 0] : m < 0.85 ? [67, 0, 0, 0, 0] : [68, 0, 0, 0, 0] });
    } else if (k < 0.86 && procs < 4) {
      ops.push({ pi: p, call: "fork", args: [] });
      procs++;
    } else if (k < 0.94) {
      ops.push({ pi: p, call: "poke", args: [page() * P + int(0, P - 1), int(0, 255)] });
    } else {
      ops.push(badOp(p, pages, r, int, pick));
    }
  }
  return { seed, pages, ops };
}

/** Bad arguments, one class at a time (kernel-vma.md §9). */
function badOp(pi: number, pages: number, r: () => number, int: (a: number, b: number) => number, pick: <T>(xs: readonly T[]) => T): FuzzOp {
  const kind = int(0, 15);
  const RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS;
  switch (kind) {
    case 0: return { pi, call: "mmap", args: [int(0, pages - 1) * P + 1, P, RW, ANON | MAP_FIXED, -1, 0] }; // unaligned fixed
    case 1: return { pi, call: "mmap", args: [0, 0, RW, ANON, -1, 0] }; // zero length
    case 2: return { pi, call: "munmap", args: [int(0, pages - 1) * P + 8, P] }; // unaligned
    case 3: return { pi, call: "munmap", args: [0, 0], abs: true }; // zero length
    case 4: return { pi, call: "mprotect", args: [int(0, pages - 1) * P, 0, PROT_READ] }; // zero length: success
    case 5: return { pi, call: "mprotect", args: [int(0, pages - 1) * P, P, 0x10] }; // unknown prot bit
    case 6: return { pi, call: "madvise", args: [int(0, pages - 1) * P, P, pick([99, 1000, -1])] }; // unknown advice
    case 7: return { pi, call: "mmap", args: [TASK_SIZE - P, 2 * P, RW, ANON | MAP_FIXED, -1, 0], abs: true }; // beyond TASK_SIZE
    case 8: return { pi, call: "mmap", args: [0, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x800000, -1, 0], abs: true }; // unknown flag, validated
    case 9: return { pi, call: "mmap", args: [0, P, RW, MAP_ANONYMOUS, -1, 0], abs: true }; // neither shared nor private
    case 10: return { pi, call: "prctl", args: [67, 1, 1, 0, 0] }; // PR_SET_MEMORY_MERGE with arg3 != 0
    case 11: return { pi, call: "prctl", args: [0x1234, 0, 0, 0, 0] }; // unknown option
    case 12: return { pi, call: "mremap", args: [int(0, pages - 1) * P, P, P, MREMAP_FIXED, int(0, pages - 1) * P] }; // FIXED without MAYMOVE
    case 13: return { pi, call: "mremap", args: [int(0, pages - 1) * P, P, 0, 0, 0] }; // new_len 0
    case 14: return { pi, call: "madvise", args: [int(0, pages - 1) * P + 3, P, 12] }; // unaligned
    default: return { pi, call: "mmap", args: [int(0, pages - 1) * P, P, RW, ANON | MAP_FIXED | (r() < 0.5 ? MAP_POPULATE : MAP_GROWSDOWN), -1, 0] };
  }
}

/** One line per op, for failure messages. */
export function describeOp(op: FuzzOp): string {
  const a = op.args.map((x) => (Math.abs(x) >= 4096 ? (x < 0 ? "-0x" + (-x).toString(16) : "0x" + x.toString(16)) : String(x)));
  return `[p${op.pi}] ${op.call}(${a.join(", ")})${op.file && op.file !== "anon" ? ` file=${op.file}` : ""}${op.abs ? " abs" : ""}`;
}
