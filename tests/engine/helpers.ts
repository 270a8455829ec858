/**
 * Test helpers for the engine suite, in the manner of tools/testing/vma: a tiny address space
 * (a PROT_NONE "carveout" at a fixed address, as selftests/mm/merge.c uses), mappings placed with
 * MAP_FIXED inside it, and exact VMA assertions with the one-character-per-page picture in the
 * failure message.
 */
import { expect } from "vitest";
import {
  boot, picture, PAGE_SIZE, PROT_NONE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE,
  VM_READ, VM_WRITE, VM_EXEC, VM_MAYREAD, VM_MAYWRITE, VM_MAYEXEC, VM_ACCOUNT, VM_NORESERVE,
  VM_SOFTDIRTY, VM_MERGEABLE, type Kernel, type Process, type VmaView, type BootOptions,
} from "mergeable";

export const P = PAGE_SIZE;
/** Where every test puts its carveout: far below the spawn() layout (program at 0x555555554000, libraries near 0x7ffff7...). */
export const C = 0x10000000;

/** VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC: what do_mmap() always adds. */
export const MAY = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
/** Private anonymous RW (do_mmap() + accountable_mapping() → VM_ACCOUNT), before VM_SOFTDIRTY. */
export const ANON_RW = VM_READ | VM_WRITE | MAY | VM_ACCOUNT; // 0x100073
/** MAP_NORESERVE RW: no VM_ACCOUNT (accountable_mapping() is false with VM_NORESERVE). */
export const ANON_RW_NR = VM_READ | VM_WRITE | MAY | VM_NORESERVE; // 0x200073
export const ANON_RO_NR = VM_READ | MAY | VM_NORESERVE; // 0x200071
export const ANON_RWX_NR = VM_READ | VM_WRITE | VM_EXEC | MAY | VM_NORESERVE;
/** The PROT_NONE carveout: only the VM_MAY* bits. */
export const NONE = MAY; // 0x70
export const SD = VM_SOFTDIRTY;
export const MG = VM_MERGEABLE;

/** The hex form VmaView.flags uses. */
export const hx = (f: bigint): string => "0x" + f.toString(16);

export interface Box {
  kernel: Kernel;
  p: Process;
  /** Page n of the carveout. */
  at: (n: number) => number;
  /** The VMAs overlapping the carveout. */
  win: () => VmaView[];
  /** The picture of the carveout. */
  pic: () => string;
  pages: number;
}

/** boot(version), spawn(), and a `pages`-page PROT_NONE carveout at C (selftests/mm/merge.c FIXTURE_SETUP). */
export function carveout(version: string, pages = 12, opts: BootOptions = {}): Box {
  const kernel = boot({ ...opts, version });
  const p = kernel.spawn();
  p.mmap(C, pages * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
  const win = () => p.vmasIn(C, C + pages * P);
  return { kernel, p, at: (n) => C + n * P, win, pic: () => picture(win(), C, C + pages * P), pages };
}

/** One expected VMA, in carveout pages. `anon`: "none" = no anon_vma; a string tag = same anon_vma as other VMAs with that tag. */
export interface Want {
  s: number;
  e: number;
  flags?: bigint;
  /** pgoff in pages; default for anonymous private memory: (C >> 12) + s. */
  pgoff?: number;
  anon?: "none" | string;
  fork?: boolean;
}

/**
 * Assert the carveout holds exactly these VMAs (start, end, flags, pgoff, anon_vma identity),
 * printing the kernel-test picture on failure.
 */
export function expectVmas(box: Box, want: Want[], base = C): void {
  const got = box.win();
  const pic = "\n" + box.pic() + "\n";
  expect(got.map((v) => [(v.start - base) / P, (v.end - base) / P]), pic).toEqual(want.map((w) => [w.s, w.e]));
  const tags = new Map<string, number | null>();
  want.forEach((w, i) => {
    const v = got[i]!;
    if (w.flags !== undefined) expect(v.flags, `VMA ${i} flags${pic}`).toBe(hx(w.flags));
    expect(v.pgoff, `VMA ${i} pgoff${pic}`).toBe(w.pgoff ?? base / P + w.s);
    if (w.anon === "none") expect(v.anonVma, `VMA ${i} anon_vma${pic}`).toBeNull();
    else if (w.anon !== undefined) {
      expect(v.anonVma, `VMA ${i} anon_vma${pic}`).not.toBeNull();
      if (tags.has(w.anon)) expect(v.anonVma, `VMA ${i} shares anon_vma "${w.anon}"${pic}`).toBe(tags.get(w.anon));
      else {
        for (const [t, id] of tags) expect(v.anonVma, `VMA ${i} anon_vma differs from "${t}"${pic}`).not.toBe(id);
        tags.set(w.anon, v.anonVma);
      }
    }
    if (w.fork !== undefined) expect(v.forkChild, `VMA ${i} fork child${pic}`).toBe(w.fork);
  });
}

/** Run fn and return the KernelError it throws (fails the test if it does not throw one). */
export function kerr(fn: () => unknown): { errno: string; code: number; message: string; syscall: string } {
  try {
    fn();
  } catch (e) {
    expect((e as Error).name).toBe("KernelError");
    return e as never;
  }
  throw new Error("expected a KernelError, nothing was thrown");
}

/** The errno fn's KernelError carries, or "ok" if it returns (any other exception propagates). */
export function errnoOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if ((e as Error).name === "KernelError") return (e as { errno: string }).errno;
    throw e;
  }
  return "ok";
}
