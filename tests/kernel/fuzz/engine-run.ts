/**
 * Runs a fuzz sequence on the engine: boot the profile, spawn, carve out the window, open the
 * files the sequence maps, then every op (a refused call is a KernelError and the sequence goes
 * on; any other exception is an engine bug and propagates).
 */
import * as mergeable from "mergeable";
import { MAP_ANONYMOUS, MAP_PRIVATE, O_CREAT, O_RDWR, PROT_NONE, type Process, type VmaView } from "mergeable";
import type { Step } from "mergeable";
import { P, type FileKind, type FuzzSequence } from "./gen.ts";

export interface EngineRun {
  trace: Step[];
  /** Window start (carveout + 1 page). */
  window: number;
  finalVmas: Map<number, VmaView[]>;
}

const FILE_PAGES = 32;
const CARVEOUT_HINT = 0x7e0000000000;

/** `engine`: the engine module (the mutation test passes a deliberately broken copy). */
export function runOnEngine(seq: FuzzSequence, version: string, config: { softDirty: boolean; anonVmaName: boolean }, engine: typeof mergeable = mergeable): EngineRun {
  const kernel = engine.boot({ version, config });
  const p0 = kernel.spawn();
  // brk arguments are relative to the break after spawn() (the end of the initial heap).
  const brkBase = p0.brk(0);
  const fds = new Map<FileKind, number>();
  const kinds = new Set(seq.ops.map((o) => o.file).filter((f): f is FileKind => !!f && f !== "anon"));
  for (const kind of ["ext4", "tmpfs", "memfd", "zero"] as const) {
    if (!kinds.has(kind)) continue;
    let fd: number;
    if (kind === "ext4") fd = p0.open("/fuzz/data", O_RDWR | O_CREAT);
    else if (kind === "tmpfs") fd = p0.open("/dev/shm/fuzz", O_RDWR | O_CREAT);
    else if (kind === "memfd") fd = p0.memfd_create("fuzz", 0);
    else fd = p0.open("/dev/zero", O_RDWR);
    if (kind !== "zero") p0.ftruncate(fd, FILE_PAGES * P);
    fds.set(kind, fd);
  }
  // Hinted far below the libraries: the engine has no ASLR, so a top-down carveout would sit
  // right below libc, and calls that reach past the window would hit it (the replaying process
  // has free space there).
  const carveout = p0.mmap(CARVEOUT_HINT, (seq.pages + 2) * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const w = carveout + P;
  const procs: Process[] = [p0];
  for (const op of seq.ops) {
    const p = procs[Math.min(op.pi, procs.length - 1)]!;
    const a = op.args;
    const at = (x: number) => (op.abs ? x : w + x);
    try {
      switch (op.call) {
        case "mmap": {
          const fd = op.file && op.file !== "anon" ? fds.get(op.file)! : -1;
          // A hint onto an occupied range falls back to the top-down search, whose result depends
          // on the whole layout (engine and replaying process differ there): not generated.
          const addr = at(a[0]!), len = a[1]!;
          if (!(a[3]! & 0x100010) && !op.abs && p.vmas().some((v) => v.start < addr + len && v.end > addr)) break;
          p.mmap(addr, len, a[2]!, a[3]!, fd, a[5]!);
          break;
        }
        case "munmap": p.munmap(at(a[0]!), a[1]!); break;
        case "mprotect": p.mprotect(at(a[0]!), a[1]!, a[2]!); break;
        case "madvise": p.madvise(at(a[0]!), a[1]!, a[2]!); break;
        case "mlock": p.mlock(at(a[0]!), a[1]!); break;
        case "mlock2": p.mlock2(at(a[0]!), a[1]!, a[2]!); break;
        case "munlock": p.munlock(at(a[0]!), a[1]!); break;
        case "mremap": p.mremap(at(a[0]!), a[1]!, a[2]!, a[3]!, a[3]! & 2 ? at(a[4]!) : 0); break;
        case "brk": p.brk(a[0] === 0 ? 0 : brkBase + a[0]!); break;
        case "prctl": p.prctl(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!); break;
        case "fork": procs.push(p.fork()); break;
        case "poke": p.poke(at(a[0]!), a[1]!); break;
        case "memset": p.memset(at(a[0]!), a[1]!, a[2]!); break;
      }
    } catch (e) {
      if (!(e instanceof engine.KernelError)) throw e;
    }
  }
  const finalVmas = new Map<number, VmaView[]>();
  for (const p of procs) finalVmas.set(p.pid, p.vmas());
  return { trace: kernel.trace, window: w, finalVmas };
}
