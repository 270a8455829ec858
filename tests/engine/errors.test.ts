/**
 * Every refused syscall throws KernelError with the kernel's errno and a sentence saying why
 * (mm/mmap.c do_mmap(), mm/vma.c do_vmi_munmap(), mm/mprotect.c, mm/madvise.c, mm/mremap.c,
 * kernel/sys.c prctl; errno order per docs/kernel-sources.md claim 16).
 */
import { describe, expect, it } from "vitest";
import {
  boot, KernelError, PROT_READ, PROT_WRITE, PROT_NONE, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE,
  MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MADV_WIPEONFORK, MADV_DOFORK,
  MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP, PR_SET_MEMORY_MERGE, PR_GET_MEMORY_MERGE,
  O_RDONLY, O_RDWR,
} from "mergeable";
import { C, P, carveout, kerr } from "./helpers.ts";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const CODES: Record<string, number> = { EPERM: 1, ENOENT: 2, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EEXIST: 17, EINVAL: 22, EOPNOTSUPP: 95 };

/** [what, call, errno, the message must say] */
type Case = [string, (b: ReturnType<typeof carveout>) => unknown, string, RegExp];

const cases: Case[] = [
  ["mmap: length 0 (anonymous)", (b) => b.p.mmap(0, 0, RW, ANON), "EINVAL", /length is 0/],
  ["mmap: length 0 with a bad fd is EBADF first", (b) => b.p.mmap(0, 0, RW, MAP_PRIVATE, 42), "EBADF", /fd 42/],
  ["mmap: unaligned MAP_FIXED address", (b) => b.p.mmap(C + 1, P, RW, ANON | MAP_FIXED), "EINVAL", /not page aligned/],
  ["mmap: unaligned offset", (b) => b.p.mmap(0, P, PROT_READ, MAP_PRIVATE, b.p.open("/var/lib/mergeable/data.bin", O_RDONLY), 100), "EINVAL", /offset .* not page aligned/],
  ["mmap: MAP_FIXED_NOREPLACE over a VMA", (b) => b.p.mmap(C, P, RW, ANON | MAP_FIXED_NOREPLACE), "EEXIST", /overlaps/],
  ["mmap: NOREPLACE overlap beats a bad map type", (b) => b.p.mmap(C, P, RW, MAP_ANONYMOUS | MAP_FIXED_NOREPLACE), "EEXIST", /overlaps/],
  ["mmap: neither MAP_SHARED nor MAP_PRIVATE", (b) => b.p.mmap(0, P, RW, MAP_ANONYMOUS), "EINVAL", /mapping type/],
  ["mmap: MAP_SHARED_VALIDATE | MAP_ANONYMOUS", (b) => b.p.mmap(0, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS), "EINVAL", /mapping type/],
  ["mmap: length larger than the address space", (b) => b.p.mmap(0, 2 ** 48, RW, ANON), "ENOMEM", /TASK_SIZE|address space/],
  ["mmap: MAP_FIXED beyond TASK_SIZE", (b) => b.p.mmap(2 ** 47, P, RW, ANON | MAP_FIXED), "ENOMEM", /TASK_SIZE/],
  ["mmap: PROT_WRITE MAP_SHARED of a read-only fd", (b) => b.p.mmap(0, P, RW, MAP_SHARED, b.p.open("/var/lib/mergeable/data.bin", O_RDONLY)), "EACCES", /not opened for writing/],
  ["mmap: MAP_GROWSDOWN file mapping", (b) => b.p.mmap(0, P, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, b.p.open("/var/lib/mergeable/data.bin", O_RDONLY)), "EINVAL", /GROWSDOWN/],
  ["mmap: MAP_GROWSDOWN shared anonymous", (b) => b.p.mmap(0, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN), "EINVAL", /GROWSDOWN/],
  ["mmap: MAP_SHARED_VALIDATE with an unknown flag on a file", (b) => b.p.mmap(0, P, PROT_READ, MAP_SHARED_VALIDATE | 0x200000 /* no such flag; not in LEGACY_MAP_MASK */, b.p.open("/var/lib/mergeable/data.bin", O_RDWR)), "EOPNOTSUPP", /MAP_SHARED_VALIDATE/],
  ["munmap: unaligned address", (b) => b.p.munmap(C + 1, P), "EINVAL", /not page aligned/],
  ["munmap: length 0", (b) => b.p.munmap(C, 0), "EINVAL", /length is 0/],
  ["munmap: beyond TASK_SIZE", (b) => b.p.munmap(2 ** 47, P), "EINVAL", /TASK_SIZE/],
  ["mprotect: unaligned address", (b) => b.p.mprotect(C + 1, P, PROT_READ), "EINVAL", /not page aligned/],
  ["mprotect: unmapped range", (b) => b.p.mprotect(C - 16 * P, P, PROT_READ), "ENOMEM", /not mapped|no VMA/],
  ["mprotect: unknown prot bits", (b) => b.p.mprotect(C, P, 0x40), "EINVAL", /prot/],
  ["mprotect: PROT_WRITE on a shared read-only file mapping", (b) => {
    const a = b.p.mmap(0, P, PROT_READ, MAP_SHARED, b.p.open("/var/lib/mergeable/data.bin", O_RDONLY));
    b.p.mprotect(a, P, RW);
  }, "EACCES", /PROT_WRITE|VM_MAY/],
  ["madvise: unknown advice", (b) => b.p.madvise(C, P, 999), "EINVAL", /advice 999/],
  ["madvise: unaligned address", (b) => b.p.madvise(C + 1, P, MADV_DOFORK), "EINVAL", /not page aligned/],
  ["madvise: MADV_WIPEONFORK on a file mapping", (b) => {
    const a = b.p.mmap(0, P, PROT_READ, MAP_PRIVATE, b.p.open("/var/lib/mergeable/data.bin", O_RDONLY));
    b.p.madvise(a, P, MADV_WIPEONFORK);
  }, "EINVAL", /private anonymous/],
  ["madvise: MADV_DOFORK on [vvar] (VM_IO)", (b) => {
    const vvar = b.p.vmas().find((x) => x.name === "[vvar]")!;
    b.p.madvise(vvar.start, P, MADV_DOFORK);
  }, "EINVAL", /VM_IO/],
  ["mremap: unaligned old address", (b) => b.p.mremap(C + 1, P, 2 * P), "EINVAL", /not page aligned/],
  ["mremap: new size 0", (b) => b.p.mremap(C, P, 0), "EINVAL", /new_size is 0/],
  ["mremap: MREMAP_FIXED without MREMAP_MAYMOVE", (b) => b.p.mremap(C, P, P, MREMAP_FIXED, C + 20 * P), "EINVAL", /MAYMOVE/],
  ["mremap: MREMAP_DONTUNMAP with a size change", (b) => b.p.mremap(C, P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP), "EINVAL", /DONTUNMAP/],
  ["mremap: nothing mapped at the old address", (b) => b.p.mremap(C - 16 * P, P, 2 * P), "EFAULT", /no VMA/],
  ["mremap: old range spans two VMAs", (b) => {
    b.p.mmap(C + P, P, RW, ANON | MAP_FIXED);
    b.p.mremap(C, 2 * P, 3 * P, MREMAP_MAYMOVE);
  }, "EFAULT", /not inside one VMA/],
  ["mremap: growing [vdso] (VM_DONTEXPAND)", (b) => {
    const vdso = b.p.vmas().find((x) => x.name === "[vdso]")!;
    b.p.mremap(vdso.start, vdso.end - vdso.start, vdso.end - vdso.start + P, MREMAP_MAYMOVE);
  }, "EFAULT", /VM_DONTEXPAND/],
  ["mremap: cannot grow in place without MREMAP_MAYMOVE", (b) => b.p.mremap(C, P, 2 * P), "ENOMEM", /MAYMOVE/],
  ["prctl: PR_SET_MEMORY_MERGE with arg3", (b) => b.p.prctl(PR_SET_MEMORY_MERGE, 1, 1), "EINVAL", /arg3/],
  ["prctl: PR_GET_MEMORY_MERGE with arg2", (b) => b.p.prctl(PR_GET_MEMORY_MERGE, 1), "EINVAL", /arg2/],
  ["prctl: unknown option", (b) => b.p.prctl(12345), "EINVAL", /option 12345/],
  ["open: missing file without O_CREAT", (b) => b.p.open("/nonexistent/file", O_RDONLY), "ENOENT", /does not exist/],
  ["close: bad fd", (b) => b.p.close(77), "EBADF", /fd 77/],
  ["poke: write into PROT_NONE (SIGSEGV)", (b) => b.p.poke(C, 1), "EFAULT", /SIGSEGV/],
];

describe.each(["6.6", "6.16", "6.18"])("refused syscalls on %s", (v) => {
  it.each(cases)("%s", (_what, call, errno, says) => {
    const b = carveout(v);
    const e = kerr(() => call(b));
    expect(e).toBeInstanceOf(KernelError);
    expect(e.errno).toBe(errno);
    expect(e.code).toBe(CODES[errno]);
    expect(e.message.startsWith(`${errno}: `)).toBe(true);
    expect(e.message).toMatch(says);
    // The refusal is recorded in the trace with the errno.
    const last = b.kernel.trace[b.kernel.trace.length - 1]!;
    expect(last.errno?.name).toBe(errno);
    expect(last.ret).toBeNull();
  });

  it("calls the kernel accepts: mprotect/madvise of length 0, munmap of nothing, unknown MAP_ flags on private anon", () => {
    const b = carveout(v);
    expect(b.p.mprotect(C, 0, PROT_NONE)).toBe(0);
    expect(b.p.madvise(C, 0, MADV_DOFORK)).toBe(0);
    expect(b.p.munmap(C - 16 * P, P)).toBe(0);
    expect(b.p.mmap(0, P, RW, ANON | 0x8000000)).toBeGreaterThan(0);
  });

  it("an mprotect hole: ENOMEM after the part before the hole was changed", () => {
    const b = carveout(v);
    b.p.munmap(C + 4 * P, P);
    expect(kerr(() => b.p.mprotect(C, 8 * P, PROT_READ)).errno).toBe("ENOMEM");
    expect(b.p.vmasIn(C, C + P)[0]!.perms).toBe("r--p");
    expect(b.p.vmasIn(C + 5 * P, C + 6 * P)[0]!.perms).toBe("---p");
  });
});

it("prctl(PR_SET_MEMORY_MERGE) does not exist before 6.4", () => {
  const p = boot({ version: "6.3" }).spawn();
  const e = kerr(() => p.prctl(PR_SET_MEMORY_MERGE, 1));
  expect(e.errno).toBe("EINVAL");
  expect(e.message).toMatch(/6\.4/);
});
