/**
 * mseal() (mm/mseal.c, 6.10+): VM_SEALED ("sl") through vma_modify_flags(), EPERM for munmap,
 * mremap, mprotect (after the pieces before the sealed VMA changed) and discarding madvise on
 * sealed read-only anonymous memory; and mseal_apply()'s stale curr_start (6c2da14ae1e0, 6.17)
 * fixed by 2697dd8ae721 (7.0, 6.18.21), as selftests/mm/merge.c merge_vmas_with_mseal.
 */
import { describe, expect, it } from "vitest";
import {
  MADV_DONTNEED, MADV_MERGEABLE, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MREMAP_MAYMOVE, PROT_EXEC,
  PROT_READ, PROT_WRITE, resolveVersion, versions,
} from "mergeable";
import { P, carveout, errnoOf } from "./helpers.ts";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
const errno = errnoOf;
const sealing = versions().filter((v) => resolveVersion(v).mseal);
const span = (b: ReturnType<typeof carveout>) =>
  b.win().map((v) => `${(v.start - b.at(0)) / P}-${(v.end - b.at(0)) / P} ${v.perms} ${v.vmflags}`);

describe("mseal()", () => {
  it.each(versions().filter((v) => !sealing.includes(v)))("%s: ENOSYS (mseal() is 6.10+)", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), P, RW, ANON);
    expect(errno(() => b.p.mseal(b.at(1), P, 0))).toBe("ENOSYS");
  });

  it.each(sealing)("%s: bad arguments and holes are refused before anything is sealed", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), P, RW, ANON);
    expect(errno(() => b.p.mseal(b.at(1), P, 1))).toBe("EINVAL");
    expect(errno(() => b.p.mseal(b.at(1) + 1, P, 0))).toBe("EINVAL");
    b.p.munmap(b.at(2), P);
    expect(errno(() => b.p.mseal(b.at(1), 2 * P, 0))).toBe("ENOMEM");
    expect(span(b)[1]).toBe("1-2 rw-p rd wr mr mw me ac sd");
    expect(b.p.mseal(b.at(1), 0, 0)).toBe(0);
  });

  it.each(sealing)("%s: a sealed piece splits off with \"sl\"; munmap, mremap, mprotect and DONTNEED on RO anon are EPERM", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), 3 * P, RW, ANON);
    b.p.mseal(b.at(2), P, 0);
    expect(span(b).slice(1, 4)).toEqual([
      "1-2 rw-p rd wr mr mw me ac sd", "2-3 rw-p rd wr mr mw me ac sd sl", "3-4 rw-p rd wr mr mw me ac sd",
    ]);
    expect(errno(() => b.p.munmap(b.at(1), 3 * P))).toBe("EPERM");
    expect(errno(() => b.p.mremap(b.at(2), P, 2 * P, MREMAP_MAYMOVE))).toBe("EPERM");
    expect(errno(() => b.p.madvise(b.at(2), P, MADV_DONTNEED))).toBe("ok");    // writable: permitted
    expect(errno(() => b.p.madvise(b.at(2), P, MADV_MERGEABLE))).toBe("ok");   // not a discard
    // mprotect_fixup() refuses at the sealed VMA: page 1 was already made read-only.
    expect(errno(() => b.p.mprotect(b.at(1), 3 * P, PROT_READ))).toBe("EPERM");
    expect(span(b)[1]).toBe("1-2 r--p rd mr mw me sd");   // unfaulted: VM_ACCOUNT dropped (6.7+)
  });

  it.each(sealing)("%s: MADV_DONTNEED of sealed read-only anonymous memory is EPERM", (v) => {
    const b = carveout(v);
    b.p.mmap(b.at(1), P, PROT_READ, ANON);
    b.p.mseal(b.at(1), P, 0);
    expect(errno(() => b.p.madvise(b.at(1), P, MADV_DONTNEED))).toBe("EPERM");
  });
});

describe("mseal_apply() after a merge (merge.c merge_vmas_with_mseal, 2697dd8ae721)", () => {
  // RWE | RWE sealed | RWE: sealing all three merges page 1 into page 2, then page 3 must join.
  const scenario = (v: string) => {
    const b = carveout(v);
    const RWX = RW | PROT_EXEC;
    b.p.mmap(b.at(1), P, RWX, ANON);
    b.p.mmap(b.at(2), P, RWX | PROT_READ, ANON);
    b.p.mmap(b.at(3), P, PROT_READ, ANON);
    b.p.mprotect(b.at(2), P, RWX);
    b.p.mseal(b.at(2), P, 0);
    b.p.mprotect(b.at(3), P, RWX);
    b.p.mseal(b.at(1), 3 * P, 0);
    return span(b).slice(1, -1).map((s) => s.split(" ")[0]);
  };
  it.each(sealing)("%s", (v) => {
    const stale = resolveVersion(v).msealStaleStart;
    expect(scenario(v)).toEqual(stale ? ["1-3", "3-4"] : ["1-4"]);
  });
  it("the fix is in 6.18.21 and 7.0, not in 6.17-6.18.20 or 6.19.0", () => {
    expect(["6.16", "6.17", "6.18.20", "6.18.21", "6.19", "6.19.9", "7.0", "7.1"].map((v) => resolveVersion(v).msealStaleStart))
      .toEqual([false, true, true, false, true, true, false, false]);
  });
});
