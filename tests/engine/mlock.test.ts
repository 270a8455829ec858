// mlock(), mlock2(MLOCK_ONFAULT), munlock() (mm/mlock.c apply_vma_lock_flags(), mlock_fixup()):
// each call changes VM_LOCKED / VM_LOCKONFAULT on VMA pieces through vma_modify_flags(), so the
// pieces split off and merge back like mprotect()'s; mlock() faults the range in, ONFAULT does not;
// mlockall() does it for every VMA, and MCL_FUTURE for later ones (mm->def_flags).
import { describe, expect, it } from "vitest";
import {
  LATEST_VERSION, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT, MLOCK_ONFAULT, PROT_NONE, PROT_READ, PROT_WRITE,
  VM_LOCKED, VM_LOCKONFAULT, VM_READ,
} from "mergeable";
import { ANON_RW, MAY, NONE, carveout as box, expectVmas, kerr, P } from "./helpers";

const RW = PROT_READ | PROT_WRITE;
const FIX = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
const v = LATEST_VERSION;
/** A kernel without CONFIG_MEM_SOFT_DIRTY, like the reference machine's, so the flags read as in smaps. */
const carveout = (version: string, pages = 12) => box(version, pages, { config: { softDirty: false } });

describe("mlock", () => {
  it("mlock() splits off a lo piece and faults it in; mlock2(MLOCK_ONFAULT) a lo lf piece, unfaulted", () => {
    //   0123456789ab
    //   CCAAAAAAAACC   mlock [4,6) → CCAALLAAAACC ; mlock2 ONFAULT [6,8) → CCAALLFFAACC
    const b = carveout(v);
    b.p.mmap(b.at(2), 8 * P, RW, FIX);
    b.p.mlock(b.at(4), 2 * P);
    b.p.mlock2(b.at(6), 2 * P, MLOCK_ONFAULT);
    expectVmas(b, [
      { s: 0, e: 2, flags: NONE }, { s: 2, e: 4, flags: ANON_RW, anon: "none" },
      { s: 4, e: 6, flags: ANON_RW | VM_LOCKED, anon: "a" },
      { s: 6, e: 8, flags: ANON_RW | VM_LOCKED | VM_LOCKONFAULT, anon: "none" },
      { s: 8, e: 10, flags: ANON_RW, anon: "none" }, { s: 10, e: 12, flags: NONE },
    ]);
    // mlock()'s write faults (populate_vma_page_range(): FOLL_WRITE) gave the split-off [4,6) an
    // anon_vma; MLOCK_ONFAULT faulted nothing.
    expect(b.p.peek(b.at(4))).toBe("0");
    expect(b.p.vmas().find((x) => x.start === b.at(4))!.vmflags).toContain("lo");
    expect(b.p.vmas().find((x) => x.start === b.at(6))!.vmflags).toMatch(/ lo lf /);
  });

  it("munlock() of the whole range merges the pieces back into one VMA", () => {
    const b = carveout(v);
    b.p.mmap(b.at(2), 8 * P, RW, FIX);
    b.p.mlock(b.at(4), 2 * P);
    b.p.mlock2(b.at(6), 2 * P, MLOCK_ONFAULT);
    b.p.munlock(b.at(2), 8 * P);
    // vma_merge_existing_range(): the unfaulted pieces join the faulted one, taking its anon_vma.
    expectVmas(b, [{ s: 0, e: 2 }, { s: 2, e: 10, flags: ANON_RW, anon: "a" }, { s: 10, e: 12 }]);
  });

  it("mlock2(MLOCK_ONFAULT) alone leaves the VMA unfaulted; a read-only mlock() read-faults (no anon_vma)", () => {
    const b = carveout(v);
    b.p.mmap(b.at(2), 2 * P, RW, FIX);
    b.p.mmap(b.at(6), 2 * P, PROT_READ, FIX);
    b.p.mlock2(b.at(2), 2 * P, MLOCK_ONFAULT);
    b.p.mlock(b.at(6), 2 * P);
    expectVmas(b, [
      { s: 0, e: 2 }, { s: 2, e: 4, flags: ANON_RW | VM_LOCKED | VM_LOCKONFAULT, anon: "none" }, { s: 4, e: 6 },
      { s: 6, e: 8, flags: VM_READ | MAY | VM_LOCKED, anon: "none" }, { s: 8, e: 12 },
    ]);
  });

  it("an unaligned range rounds out to whole pages (start down, end up)", () => {
    const b = carveout(v);
    b.p.mmap(b.at(2), 4 * P, RW, FIX);
    b.p.mlock(b.at(3) + 100, 10);
    expectVmas(b, [{ s: 0, e: 2 }, { s: 2, e: 3 }, { s: 3, e: 4, flags: ANON_RW | VM_LOCKED }, { s: 4, e: 6 },
      { s: 6, e: 12 }]);
  });

  it("a hole is ENOMEM after the VMAs before it were locked (and not faulted); an unmapped start changes nothing", () => {
    const b = carveout(v);
    b.p.mmap(b.at(2), 6 * P, RW, FIX);
    b.p.munmap(b.at(5), P);
    expect(kerr(() => b.p.mlock(b.at(2), 6 * P)).errno).toBe("ENOMEM");
    expectVmas(b, [{ s: 0, e: 2 }, { s: 2, e: 5, flags: ANON_RW | VM_LOCKED, anon: "none" },
      { s: 6, e: 8, flags: ANON_RW }, { s: 8, e: 12 }]);
    expect(kerr(() => b.p.munlock(b.at(5), 2 * P)).errno).toBe("ENOMEM");
    expect(b.win().find((x) => x.start === b.at(6))!.flags).toBe("0x" + ANON_RW.toString(16));
  });

  it("flags other than MLOCK_ONFAULT and a wrapping range are EINVAL; a zero length does nothing", () => {
    const b = carveout(v);
    b.p.mmap(b.at(2), 2 * P, RW, FIX);
    expect(kerr(() => b.p.mlock2(b.at(2), P, 2)).errno).toBe("EINVAL");
    expect(kerr(() => b.p.mlock(2 ** 64 - P, 2 * P)).errno).toBe("EINVAL");
    expect(b.p.mlock(b.at(2), 0)).toBe(0);
    expectVmas(b, [{ s: 0, e: 2 }, { s: 2, e: 4, flags: ANON_RW }, { s: 4, e: 12 }]);
  });

  it("PROT_NONE gets lo but cannot be faulted in: ENOMEM; made writable later, mprotect_fixup() faults it in", () => {
    const b = carveout(v);
    b.p.mmap(b.at(2), 2 * P, PROT_NONE, FIX);
    expect(kerr(() => b.p.mlock(b.at(2), 2 * P)).errno).toBe("ENOMEM");
    expectVmas(b, [{ s: 0, e: 2 }, { s: 2, e: 4, flags: NONE | VM_LOCKED, anon: "none" }, { s: 4, e: 12 }]);
    b.p.mprotect(b.at(2), 2 * P, RW);
    expectVmas(b, [{ s: 0, e: 2 }, { s: 2, e: 4, flags: ANON_RW | VM_LOCKED, anon: "a" }, { s: 4, e: 12 }]);
  });

  it("[vvar] (VM_SPECIAL) is never locked: mlock() succeeds and changes nothing", () => {
    const b = carveout(v);
    const vvar = b.p.vmas().find((x) => x.name === "[vvar]")!;
    b.p.mlock(vvar.start, P);
    expect(b.p.vmas().find((x) => x.name === "[vvar]")).toEqual(vvar);
  });

  it("fork() clears VM_LOCKED and VM_LOCKONFAULT in the child (dup_mmap())", () => {
    const b = carveout(v);
    b.p.mmap(b.at(2), 2 * P, RW, FIX);
    b.p.mlock2(b.at(2), 2 * P, MLOCK_ONFAULT);
    const child = b.p.fork();
    expect(child.vmasIn(b.at(2), b.at(4))[0]!.vmflags).not.toMatch(/ lo /);
  });
});

describe("mlockall", () => {
  it("MCL_CURRENT locks and faults in every VMA but VM_SPECIAL ones; munlockall() unlocks them", () => {
    const b = carveout(v);
    b.p.mmap(b.at(2), 2 * P, RW, FIX);
    b.p.mlockall(MCL_CURRENT);
    expectVmas(b, [{ s: 0, e: 2, flags: NONE | VM_LOCKED }, { s: 2, e: 4, flags: ANON_RW | VM_LOCKED, anon: "a" },
      { s: 4, e: 12, flags: NONE | VM_LOCKED }]);
    expect(b.p.vmas().find((x) => x.name === "[vvar]")!.vmflags).not.toMatch(/ lo /);
    b.p.munlockall();
    expect(b.p.vmas().filter((x) => / lo /.test(` ${x.vmflags} `))).toEqual([]);
  });

  it("MCL_FUTURE | MCL_ONFAULT: later mmap() and brk() VMAs get lo lf and are not faulted; MCL_FUTURE alone faults them", () => {
    const b = carveout(v);
    b.p.mlockall(MCL_FUTURE | MCL_ONFAULT);
    b.p.mmap(b.at(2), 2 * P, RW, FIX);
    const heap = b.p.brk(0);
    b.p.brk(heap + 64 * P);
    b.p.mlockall(MCL_FUTURE);
    b.p.mmap(b.at(6), 2 * P, RW, FIX);
    expectVmas(b, [{ s: 0, e: 2 }, { s: 2, e: 4, flags: ANON_RW | VM_LOCKED | VM_LOCKONFAULT, anon: "none" },
      { s: 4, e: 6 }, { s: 6, e: 8, flags: ANON_RW | VM_LOCKED, anon: "a" }, { s: 8, e: 12 }]);
    // The grown part cannot join the unlocked [heap] VMA (flags differ): a second [heap] VMA.
    expect(b.p.vmas().filter((x) => x.name === "[heap]").map((x) => / lo lf /.test(` ${x.vmflags} `)))
      .toEqual([false, true]);
  });

  it("no flags, MCL_ONFAULT alone and unknown bits are EINVAL", () => {
    const b = carveout(v);
    for (const f of [0, MCL_ONFAULT, 8]) expect(kerr(() => b.p.mlockall(f)).errno).toBe("EINVAL");
  });
});

describe("mremap of locked memory", () => {
  const mapped = (b: ReturnType<typeof carveout>, from: number, to: number) =>
    [...b.p.mm.ptes.keys()].filter((vpn) => vpn >= b.at(from) / P && vpn < b.at(to) / P).length;

  it("growing a VM_LOCKED VMA faults the new part in (mm_populate() of the grown range)", () => {
    const b = carveout(v);
    b.p.mmap(b.at(2), 2 * P, RW, FIX);
    b.p.mlock(b.at(2), 2 * P);
    b.p.munmap(b.at(4), 4 * P);
    b.p.mremap(b.at(2), 2 * P, 4 * P, 0);
    expect(mapped(b, 2, 6)).toBe(4);
  });

  it("MREMAP_DONTUNMAP clears VM_LOCKED on the whole VMA that held the old range; the copy keeps it", () => {
    const b = carveout(v, 16);
    b.p.mmap(b.at(2), 6 * P, RW, FIX);
    b.p.mlock(b.at(2), 6 * P);
    b.p.mremap(b.at(4), 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, b.at(10));
    expect(b.win().filter((x) => x.start >= b.at(2) && x.end <= b.at(8)).map((x) => x.vmflags))
      .toEqual(["rd wr mr mw me ac"]);
    expect(b.win().find((x) => x.start === b.at(10))!.vmflags).toMatch(/ lo /);
  });
});
