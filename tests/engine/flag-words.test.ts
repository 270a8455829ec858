// vm_flags as the two int32 words a Vma stores (src/engine/flags.ts): every bit of the 64-bit
// word survives the split, including the two sign bits (VM_MERGEABLE, bit 31; VM_SEALED, bit 63),
// and the mmap/mprotect paths that work on the words produce the flags the bigint rules give.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  FLAG_NAMES, VM_ACCOUNT, VM_DROPPABLE, VM_MAYREAD, VM_MAYWRITE, VM_MAYEXEC, VM_MERGEABLE, VM_READ, VM_SEALED,
  VM_WRITE, hi32, join32, lo32,
} from "../../src/engine/flags.ts";
import { Vma } from "../../src/engine/vma.ts";
import { boot, MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PR_SET_MEMORY_MERGE, PROT_READ, PROT_WRITE } from "mergeable";

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe("vm_flags as two int32 words", () => {
  it("join32(lo32(f), hi32(f)) is f for any 64-bit word", () => {
    fc.assert(fc.property(u64, (f) => {
      const lo = lo32(f);
      const hi = hi32(f);
      expect(lo | 0, "the low word is an int32").toBe(lo);
      expect(hi | 0, "the high word is an int32").toBe(hi);
      expect(join32(lo, hi)).toBe(f);
    }));
  });

  it("each named flag lands in exactly one word, at its own bit", () => {
    for (const [bit, name] of FLAG_NAMES) {
      const lo = lo32(bit);
      const hi = hi32(bit);
      expect((lo !== 0) !== (hi !== 0), name).toBe(true);
      expect(join32(lo, hi), name).toBe(bit);
    }
  });

  it("the sign bits: VM_MERGEABLE is the low word's, VM_SEALED the high word's", () => {
    expect(lo32(VM_MERGEABLE)).toBeLessThan(0);
    expect(hi32(VM_SEALED)).toBeLessThan(0);
    expect(hi32(VM_DROPPABLE)).toBe(1 << 8);
  });

  it("Vma.flags reads and writes the words", () => {
    const v = new Vma(1, 0x1000, 0x2000, 0, 0, 0, null);
    v.flags = VM_READ | VM_MERGEABLE | VM_SEALED;
    expect(v.flagsLo).toBe(lo32(VM_READ | VM_MERGEABLE));
    expect(v.flagsHi).toBe(hi32(VM_SEALED));
    v.flags |= VM_WRITE;
    expect(v.flags).toBe(VM_READ | VM_WRITE | VM_MERGEABLE | VM_SEALED);
  });
});

describe("the word paths give the bigint rules' flags", () => {
  it("mmap, then mprotect, under merge-any (6.17): VM_MERGEABLE set, VM_ACCOUNT charged", () => {
    const k = boot({ version: "6.17", trace: false, config: { softDirty: false } });
    const p = k.spawn();
    p.prctl(PR_SET_MEMORY_MERGE, 1);
    const a = p.mmap(0, 4 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    const base = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_MERGEABLE;
    expect(p.mm.tree.lookup(a)!.flags).toBe(VM_READ | base);
    p.mprotect(a, PAGE_SIZE, PROT_READ | PROT_WRITE);
    // mprotect_fixup(): a private VMA made writable is charged.
    expect(p.mm.tree.lookup(a)!.flags).toBe(VM_READ | VM_WRITE | VM_ACCOUNT | base);
    expect(p.mm.tree.lookup(a + PAGE_SIZE)!.flags).toBe(VM_READ | base);
  });
});
