/**
 * Guard regions (mm/madvise.c madvise_guard_install()/madvise_guard_remove(), 6.13+) and the
 * 6.19 (6.18.37 stable) sticky VM_MAYBE_GUARD flag (64212ba02e66, 49e14dabed7a): markers make accesses SIGSEGV,
 * survive MADV_DONTNEED, go with munmap, follow mremap; a guarded VMA still merges.
 */
import { describe, expect, it } from "vitest";
import {
  MADV_DONTNEED, MADV_DODUMP, MADV_DONTDUMP, MADV_GUARD_INSTALL, MADV_GUARD_REMOVE, MAP_ANONYMOUS,
  MAP_FIXED, MAP_PRIVATE, MREMAP_FIXED, MREMAP_MAYMOVE, O_CREAT, O_RDWR, PROT_READ, PROT_WRITE, versions,
  resolveVersion,
} from "mergeable";
import { P, carveout, errnoOf } from "./helpers.ts";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
const errno = errnoOf;
const withGuards = versions().filter((v) => resolveVersion(v).guardRegions !== "none");
const sticky = versions().filter((v) => resolveVersion(v).stickyFlags);
const span = (b: ReturnType<typeof carveout>) =>
  b.win().map((v) => `${(v.start - b.at(0)) / P}-${(v.end - b.at(0)) / P} ${v.vmflags}`);

describe("MADV_GUARD_INSTALL / MADV_GUARD_REMOVE", () => {
  it.each(versions().filter((v) => !withGuards.includes(v)))("%s: EINVAL (no guard regions before 6.13)", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), 2 * P, RW, ANON);
    expect(errno(() => b.p.madvise(b.at(1), P, MADV_GUARD_INSTALL))).toBe("EINVAL");
  });

  it.each(withGuards)("%s: a guarded page faults (SIGSEGV), keeps its marker over MADV_DONTNEED, loses it on remove", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), 3 * P, RW, ANON);
    b.p.poke(b.at(2), 7);
    b.p.madvise(b.at(2), P, MADV_GUARD_INSTALL);
    expect(errno(() => b.p.peek(b.at(2)))).toBe("EFAULT");
    expect(errno(() => b.p.poke(b.at(2), 1))).toBe("EFAULT");
    expect(b.p.peek(b.at(1))).toBe("0");
    b.p.madvise(b.at(1), 3 * P, MADV_DONTNEED);
    expect(errno(() => b.p.peek(b.at(2)))).toBe("EFAULT");
    b.p.madvise(b.at(1), 3 * P, MADV_GUARD_REMOVE);
    expect(b.p.peek(b.at(2))).toBe("0");   // the page was zapped when the guard went in
    expect(b.win().length).toBe(3);      // carveout, the mapping, carveout: no split either way
  });

  it.each(withGuards)("%s: mremap moves the marker, munmap drops it", (v) => {
    const b = carveout(v, 20);
    b.p.mmap(b.at(1), 2 * P, RW, ANON);
    b.p.madvise(b.at(2), P, MADV_GUARD_INSTALL);
    b.p.mremap(b.at(1), 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, b.at(10));
    expect(errno(() => b.p.peek(b.at(11)))).toBe("EFAULT");
    b.p.munmap(b.at(10), 2 * P);
    b.p.mmap(b.at(10), 2 * P, RW, ANON);
    expect(b.p.peek(b.at(11))).toBe("0");
  });

  it.each(withGuards)("%s: fork copies the markers", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), 2 * P, RW, ANON);
    b.p.madvise(b.at(1), P, MADV_GUARD_INSTALL);
    expect(errno(() => b.p.fork().peek(b.at(1)))).toBe("EFAULT");
  });

  it.each(withGuards)("%s: the install gives an anonymous VMA an anon_vma (anon_vma_prepare())", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), 2 * P, RW, ANON);
    b.p.madvise(b.at(1), P, MADV_GUARD_INSTALL);
    expect(b.p.vmasIn(b.at(1), b.at(2))[0]!.anonVma).not.toBeNull();
  });
});

describe("VM_MAYBE_GUARD (6.18.37+, 6.19+) is sticky: a guarded VMA merges with unguarded neighbours", () => {
  it.each(withGuards)("%s: a new mapping next to a guarded one joins it; mprotect splits and re-merges", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), 2 * P, RW, ANON);
    b.p.madvise(b.at(1), P, MADV_GUARD_INSTALL);
    b.p.mmap(b.at(3), 2 * P, RW, ANON);          // vma_expand() of prev
    b.p.mprotect(b.at(3), P, PROT_READ);
    b.p.mprotect(b.at(3), P, RW);                // vma_merge_existing_range(), both sides
    const gu = sticky.includes(v) ? " gu" : "";
    expect(span(b)).toEqual(["0-1 mr mw me sd", `1-5 rd wr mr mw me${gu} ac sd`, "5-12 mr mw me sd"]);
  });

  it.each(sticky)("%s: the merged VMA keeps VM_MAYBE_GUARD from either side (vm_flags_set(target, sticky_flags))", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), P, PROT_READ, ANON);
    b.p.mmap(b.at(2), P, RW, ANON);
    b.p.madvise(b.at(2), P, MADV_GUARD_INSTALL);   // next is guarded, middle (page 1) is not
    b.p.mprotect(b.at(1), P, RW);                  // middle merges into next: next keeps "gu"
    expect(span(b)).toEqual(["0-1 mr mw me sd", "1-3 rd wr mr mw me gu ac sd", "3-12 mr mw me sd"]);
    b.p.mmap(b.at(3), P, RW, ANON);                // vma_expand(): prev's sticky flags stay
    expect(span(b)[1]).toBe("1-4 rd wr mr mw me gu ac sd");
  });
});

describe("guard regions in file-backed private mappings", () => {
  // 6.15-6.18.36: anon_vma_prepare() for every VMA, so two file VMAs that got anon_vmas apart no
  // longer merge; 6.18.37+ and 6.19 prepare only anonymous VMAs (VM_COPY_ON_FORK covers fork).
  const scenario = (v: string) => {
    const b = carveout(v);
    const fd = b.p.open("/guard/file", O_RDWR | O_CREAT);
    b.p.ftruncate(fd, 4 * P);
    b.p.mmap(b.at(1), P, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
    b.p.mmap(b.at(2), P, RW, MAP_PRIVATE | MAP_FIXED, fd, P);
    b.p.madvise(b.at(1), P, MADV_DONTDUMP);         // different flags: anon_vma_compatible() is false
    b.p.madvise(b.at(1), P, MADV_GUARD_INSTALL);
    b.p.madvise(b.at(2), P, MADV_GUARD_INSTALL);
    b.p.madvise(b.at(1), P, MADV_DODUMP);           // same flags again: merge?
    return b.win().length - 2;
  };
  it.each(["6.13", "6.14"])("%s: EINVAL (6.13-6.14 guard only anonymous memory)", (v) => {
    expect(errno(() => scenario(v))).toBe("EINVAL");
  });
  it.each(withGuards.filter((v) => resolveVersion(v).guardRegions === "any"))("%s: merged only when the install left file VMAs without anon_vmas", (v) => {
    expect(scenario(v)).toBe(resolveVersion(v).guardMarksVma ? 1 : 2);
  });
});
