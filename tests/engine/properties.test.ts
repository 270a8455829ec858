/**
 * Property tests (fast-check): random sequences of syscalls over a 16-page window, including bad
 * arguments, on several kernel versions. After every call:
 *  - VMAs are sorted, disjoint, page aligned and non-empty; map_count equals their number;
 *  - the engine threw nothing but KernelError;
 *  - a private anonymous mmap() that produced a VMA of exactly the requested range could not have
 *    merged at creation, by the engine's own predicates with the request the kernel made (flags
 *    without VM_SOFTDIRTY, and without VM_MERGEABLE where it is added after the merge attempt).
 * Adjacent identical VMAs are NOT asserted absent in general: the kernel legitimately leaves them
 * (the 6.4-6.16 regression, prctl marking VMAs in place, no-op mprotect, faulted/unfaulted pairs
 * before 6.16, fork children).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  boot, KernelError, PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC, MAP_PRIVATE, MAP_SHARED, MAP_ANONYMOUS,
  MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_NORESERVE, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_DONTFORK,
  MADV_DOFORK, MADV_RANDOM, MADV_NORMAL, MADV_DONTNEED, MREMAP_MAYMOVE, MREMAP_FIXED, PR_SET_MEMORY_MERGE,
  VM_SOFTDIRTY, VM_MERGEABLE, type Process,
} from "mergeable";
import { canMergeLeft, canMergeRight } from "../../src/engine/merge.ts";
import { vmgMmapState } from "../../src/engine/vma_merge_struct.ts";
import { canSetKsmFlagsEarly } from "../../src/engine/mmap.ts";
import { clearFlags, flagWords } from "../../src/engine/flags.ts";
import { C, P } from "./helpers.ts";

const W = 16;
const off = fc.integer({ min: -1, max: W + 1 });
const len = fc.integer({ min: 0, max: 6 });
const prot = fc.constantFrom(PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC, 0x40);
const odd = fc.constantFrom(0, 0, 0, 1); // sometimes an unaligned address

const cmd = fc.oneof(
  fc.record({ op: fc.constant("mmap" as const), off, len, prot, odd, kind: fc.constantFrom(
    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, MAP_ANONYMOUS | MAP_FIXED) }),
  fc.record({ op: fc.constant("munmap" as const), off, len, odd }),
  fc.record({ op: fc.constant("mprotect" as const), off, len, prot, odd }),
  fc.record({ op: fc.constant("madvise" as const), off, len, odd, advice: fc.constantFrom(MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_DONTFORK, MADV_DOFORK, MADV_RANDOM, MADV_NORMAL, MADV_DONTNEED, 999) }),
  fc.record({ op: fc.constant("mremap" as const), off, len, len2: len, to: off, flags: fc.constantFrom(0, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED, MREMAP_FIXED) }),
  fc.record({ op: fc.constant("brk" as const), pages: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ op: fc.constant("prctl" as const), on: fc.constantFrom(0, 1, 2) }),
  fc.record({ op: fc.constant("poke" as const), off }),
  fc.record({ op: fc.constant("fork" as const) }),
);
type Cmd = typeof cmd extends fc.Arbitrary<infer T> ? T : never;

function checkShape(p: Process): void {
  const vs = p.vmas();
  expect(p.map_count).toBe(vs.length);
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i]!;
    expect(v.start % P, `VMA ${i} start aligned`).toBe(0);
    expect(v.end % P, `VMA ${i} end aligned`).toBe(0);
    expect(v.start < v.end, `VMA ${i} non-empty`).toBe(true);
    if (i) expect(vs[i - 1]!.end <= v.start, `VMAs ${i - 1}/${i} sorted and disjoint`).toBe(true);
  }
}

/** The new VMA [addr, addr+len) did not merge: the request the kernel made must not be mergeable. */
function checkNoMissedMerge(p: Process, addr: number, length: number): void {
  const mm = p.mm;
  const vma = mm.tree.lookup(addr);
  if (!vma || vma.file || vma.start !== addr || vma.end !== addr + length) return; // merged, or not private anon
  const v = mm.kernel.profile;
  let flags = clearFlags(vma.flags, VM_SOFTDIRTY);
  const early = v.ksmFlagTiming === "early" && canSetKsmFlagsEarly(mm, null);
  if (!early) flags = clearFlags(flags, VM_MERGEABLE); // ksm_add_vma() ran after the merge attempt
  const { flagsLo, flagsHi } = flagWords(flags);
  const req = vmgMmapState(mm, addr, addr + length, flagsLo, flagsHi, vma.pgoff, null, vma.prev, vma.next);
  expect(canMergeLeft(req), `mmap at ${addr.toString(16)} could have merged with prev`).not.toBeNull();
  expect(canMergeRight(req, false), `mmap at ${addr.toString(16)} could have merged with next`).not.toBeNull();
}

function run(p: Process, c: Cmd, procs: Process[]): void {
  const a = (o: number, odd = 0) => C + o * P + odd;
  switch (c.op) {
    case "mmap": {
      const addr = p.mmap(a(c.off, c.odd), c.len * P, c.prot, c.kind);
      if (c.kind & MAP_PRIVATE && c.kind & MAP_ANONYMOUS) checkNoMissedMerge(p, addr, c.len * P);
      return;
    }
    case "munmap": p.munmap(a(c.off, c.odd), c.len * P); return;
    case "mprotect": p.mprotect(a(c.off, c.odd), c.len * P, c.prot); return;
    case "madvise": p.madvise(a(c.off, c.odd), c.len * P, c.advice); return;
    case "mremap": p.mremap(a(c.off), c.len * P, c.len2 * P, c.flags, a(c.to)); return;
    case "brk": p.brk(p.brk(0) + c.pages * P); return;
    case "prctl": p.prctl(PR_SET_MEMORY_MERGE, c.on); return;
    case "poke": p.poke(a(c.off), 1); return;
    case "fork": procs.push(p.fork()); return;
  }
}

describe.each(["6.1", "6.6", "6.12", "6.16", "6.17", "6.18"])("engine invariants on %s", (v) => {
  it("hold after any sequence of calls", () => {
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 1, maxLength: 40 }), (cmds) => {
        const p0 = boot({ version: v, trace: false }).spawn();
        p0.mmap(C, W * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
        const procs = [p0];
        for (const c of cmds) {
          const p = procs[procs.length - 1]!; // after a fork, continue in the child
          try {
            run(p, c, procs);
          } catch (e) {
            if (!(e instanceof KernelError)) throw e;
            expect(e.message).toMatch(/^E[A-Z]+: .{8,}/);
          }
          for (const q of procs) checkShape(q);
        }
      }),
      { numRuns: 120 },
    );
  });
});

describe("round trips", () => {
  it.each(["6.1", "6.6", "6.7", "6.16", "6.18"])("%s: mprotect(RO) then mprotect(RW) of any sub-range of an unfaulted RW VMA restores it", (v) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 10 }), (s, n) => {
        const p = boot({ version: v, trace: false }).spawn();
        p.mmap(C, 10 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
        const before = p.vmasIn(C, C + 10 * P);
        const e = Math.min(10, s + n);
        p.mprotect(C + s * P, (e - s) * P, PROT_READ);
        p.mprotect(C + s * P, (e - s) * P, PROT_READ | PROT_WRITE);
        expect(p.vmasIn(C, C + 10 * P)).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });
});
