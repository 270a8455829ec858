/**
 * The engine API under bad input (issue 19): integer arguments are numbers or bigints alike,
 * every refused call changes nothing, an exited process answers ESRCH everywhere, and
 * vm.overcommit_memory is a boot option (mm/util.c __vm_enough_memory(); the mode-0 rule on the
 * running kernel is in tests/kernel/scenarios/calls.ts).
 */
import { describe, expect, it } from "vitest";
import {
  boot, KernelError, MADV_MERGEABLE, MAP_ANONYMOUS, MAP_FIXED, MAP_NORESERVE, MAP_PRIVATE, MAP_SHARED, O_CREAT, O_RDWR,
  PROT_READ, PROT_WRITE,
} from "mergeable";
import { C, P, carveout, kerr } from "./helpers.ts";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const GiB = 2 ** 30;

describe("bigint arguments", () => {
  it("mmap with a bigint length maps exactly what the number would, and the trace records numbers", () => {
    const a = carveout("6.18");
    const b = carveout("6.18");
    a.p.mmap(BigInt(C + 2 * P), 4096n, BigInt(RW), BigInt(ANON | MAP_FIXED), -1n, 0n);
    b.p.mmap(C + 2 * P, 4096, RW, ANON | MAP_FIXED, -1, 0);
    expect(a.win()).toEqual(b.win());
    const step = a.kernel.trace.at(-1)!;
    expect(step.errno).toBeNull();
    expect(step.args).toEqual([C + 2 * P, 4096, RW, ANON | MAP_FIXED, -1, 0]);
    expect(step.text).toBe(b.kernel.trace.at(-1)!.text);
  });

  it("every call takes bigints: munmap, mprotect, madvise, mremap, brk, prctl, poke, memset, peek, files", () => {
    const { p, at, win } = carveout("6.18");
    p.mmap(BigInt(at(0)), BigInt(4 * P), BigInt(RW), BigInt(ANON | MAP_FIXED));
    p.mprotect(BigInt(at(1)), BigInt(P), BigInt(PROT_READ));
    p.madvise(BigInt(at(2)), BigInt(P), BigInt(MADV_MERGEABLE));
    p.poke(BigInt(at(3)), 7n);
    p.memset(BigInt(at(0)), 1n, BigInt(P));
    expect(p.peek(BigInt(at(3)))).toBe(p.peek(at(3)));
    expect(p.mremap(BigInt(at(3)), BigInt(P), BigInt(P), 0n)).toBe(at(3));
    p.munmap(BigInt(at(3)), BigInt(P));
    expect(p.brk(0n)).toBe(p.brk(0));
    expect(p.prctl(68n, 0n, 0n, 0n, 0n)).toBe(0);
    const fd = p.open("/api/big", BigInt(O_RDWR | O_CREAT));
    expect(p.ftruncate(BigInt(fd), BigInt(4 * P))).toBe(0);
    expect(p.close(BigInt(fd))).toBe(0);
    expect(win().map((v) => v.perms)).toEqual(["rw-p", "r--p", "rw-p", "---p"]);
  });

  it("a bigint that is not exactly a number, and a non-integer, are EINVAL and change nothing", () => {
    const { kernel, p, win } = carveout("6.18");
    const before = win();
    const steps = kernel.trace.length;
    for (const bad of [2n ** 64n - 1n, 2n ** 53n + 1n]) {
      const e = kerr(() => p.mmap(0, bad, RW, ANON));
      expect(e.errno).toBe("EINVAL");
      expect(e.message).toMatch(/not exactly representable/);
    }
    expect(kerr(() => p.mmap(0, 1.5, RW, ANON)).message).toMatch(/must be an integer .*got 1\.5/);
    expect(kerr(() => p.mmap(0, "4096" as unknown as number, RW, ANON)).message).toMatch(/got string/);
    expect(win()).toEqual(before);
    // Each refusal is recorded, with its arguments as text where they are not numbers.
    expect(kernel.trace.slice(steps).map((s) => s.errno?.name)).toEqual(["EINVAL", "EINVAL", "EINVAL", "EINVAL"]);
    expect(kernel.trace[steps]!.args[1]).toBe(`${2n ** 64n - 1n}n`);
  });
});

describe("after exit()", () => {
  it("peek, maps, smaps, map_count and vmas are ESRCH like every syscall", () => {
    const { p, at } = carveout("6.18");
    p.mmap(at(0), P, RW, ANON | MAP_FIXED);
    p.exit();
    const calls: [string, () => unknown][] = [
      ["peek", () => p.peek(at(0))], ["maps", () => p.maps()], ["smaps", () => p.smaps()],
      ["map_count", () => p.map_count], ["vmas", () => p.vmas()], ["ksm_stat", () => p.ksm_stat()],
      ["mmap", () => p.mmap(0, P, RW, ANON)],
    ];
    for (const [name, f] of calls) {
      const e = kerr(f);
      expect([name, e.errno, e.message]).toEqual([name, "ESRCH", `ESRCH: process ${p.pid} has exited`]);
    }
  });
});

describe("ftruncate", () => {
  it("refuses before changing the size: negative EINVAL, past ext4's s_maxbytes EFBIG, 2^70 EFBIG", () => {
    const p = boot({ version: "6.18" }).spawn();
    const fd = p.open("/api/trunc", O_RDWR | O_CREAT);
    p.ftruncate(fd, 4 * P);
    expect(kerr(() => p.ftruncate(fd, -1)).errno).toBe("EINVAL");
    expect(kerr(() => p.ftruncate(fd, 2 ** 44)).errno).toBe("EFBIG");
    expect(kerr(() => p.ftruncate(fd, 2 ** 70)).errno).toBe("EFBIG");
    // A shmem file's limit is MAX_LFS_FILESIZE; beyond any off_t is still EFBIG.
    const m = p.memfd_create("t");
    expect(p.ftruncate(m, 2 ** 62)).toBe(0);
    expect(kerr(() => p.ftruncate(m, 2 ** 70)).errno).toBe("EFBIG");
    // The refusals left the size alone: a 4-page shared mapping of the file faults in its last page.
    const a = p.mmap(0, 4 * P, RW, MAP_SHARED, fd, 0);
    expect(p.poke(a + 3 * P, 1)).toBe(0);
  });
});

describe("vm.overcommit_memory as a boot option", () => {
  const map = (opts: Parameters<typeof boot>[0], len: number, flags = ANON) => {
    const p = boot({ version: "6.18", ...opts }).spawn();
    try {
      p.mmap(0, len, RW, flags);
      return "ok";
    } catch (e) {
      if (e instanceof KernelError) return e.errno;
      throw e;
    }
  };

  it("0 (the default) refuses one commitment above RAM + swap, not several below it", () => {
    expect(map({ ramBytes: 8 * GiB }, 9 * GiB)).toBe("ENOMEM");
    expect(map({ ramBytes: 8 * GiB, swapBytes: 2 * GiB }, 9 * GiB)).toBe("ok");
    expect(map({ ramBytes: 8 * GiB }, 9 * GiB, ANON | MAP_NORESERVE)).toBe("ok");
    const p = boot({ version: "6.18", ramBytes: 8 * GiB }).spawn();
    for (let i = 0; i < 4; i++) p.mmap(0, 7 * GiB, RW, ANON);
  });

  it("1 never refuses; 2 refuses past RAM * ratio / 100 + swap, counting what is committed", () => {
    expect(map({ overcommitMemory: 1, ramBytes: 8 * GiB }, 2 ** 46)).toBe("ok");
    expect(map({ overcommitMemory: 2, ramBytes: 8 * GiB }, 5 * GiB)).toBe("ENOMEM");
    expect(map({ overcommitMemory: 2, ramBytes: 8 * GiB, overcommitRatio: 100 }, 5 * GiB)).toBe("ok");
    const p = boot({ version: "6.18", overcommitMemory: 2, ramBytes: 8 * GiB }).spawn();
    p.mmap(0, 3 * GiB, RW, ANON);
    expect(kerr(() => p.mmap(0, GiB, RW, ANON)).message).toMatch(/Committed_AS .*vm.overcommit_memory = 2/);
    p.munmap(p.mmap(0, GiB / 2, RW, ANON), GiB / 2);
    expect(p.mmap(0, GiB / 2, RW, ANON)).toBeGreaterThan(0);
  });

  it("2 ignores MAP_NORESERVE (do_mmap()): the mapping is charged and has no 'nr'", () => {
    const p = boot({ version: "6.18", overcommitMemory: 2, ramBytes: 8 * GiB }).spawn();
    const a = p.mmap(0, P, RW, ANON | MAP_NORESERVE);
    expect(p.vmasIn(a, a + P)[0]!.vmflags).not.toMatch(/\bnr\b/);
    expect(p.vmasIn(a, a + P)[0]!.vmflags).toMatch(/\bac\b/);
    expect(kerr(() => p.mmap(0, 5 * GiB, RW, ANON | MAP_NORESERVE)).errno).toBe("ENOMEM");
  });

  it("bad boot options are EINVAL", () => {
    expect(() => boot({ overcommitMemory: 3 as 0 })).toThrow(/overcommitMemory must be 0, 1 or 2/);
    expect(() => boot({ ramBytes: 1000 })).toThrow(/whole number of 4 KiB pages/);
    expect(() => boot({ overcommitRatio: -1 })).toThrow(/overcommitRatio/);
  });
});
