// The address-space index (src/engine/vma_tree.ts): after any sequence of calls, every tree
// invariant holds (validate(), the kernel's validate_mm()), and top-down placement finds the
// highest free gap below mmap_base, as unmapped_area_topdown() does — checked by brute force.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { boot, PAGE_SIZE as P, PROT_NONE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, O_RDWR, KernelError } from "mergeable";
import type { Process } from "mergeable";

/** The highest page-aligned address a of a free [a, a+len) below mmap_base (brute force over the VMA list). */
function highestGap(p: Process, len: number): number {
  const vmas = p.vmas();
  const base = p.mm.mmap_base;
  let hi = base;
  for (let i = vmas.length - 1; i >= -1; i--) {
    const v = vmas[i];
    const lo = v ? v.end : P;
    if (v && v.start >= base) continue;
    const top = Math.min(hi, base);
    if (top - Math.max(lo, P) >= len) return top - len;
    if (v) hi = v.flags && v.vmflags.includes("gd") ? v.start - 256 * P : v.start;
  }
  return -1;
}

const op = fc.record({
  kind: fc.constantFrom("anon", "file", "fixed", "munmap", "mprotect"),
  pages: fc.integer({ min: 1, max: 8 }),
  slot: fc.integer({ min: 0, max: 63 }),
  prot: fc.constantFrom(PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE),
});

describe("vma_tree: invariants and top-down placement", () => {
  it("hold after every call of random sequences", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const p = boot({ version: "6.18", trace: false }).spawn();
        const fd = p.open("/var/lib/mergeable/data.bin", O_RDWR);
        const win = p.mmap(0, 64 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
        for (const o of ops) {
          const len = o.pages * P;
          try {
            if (o.kind === "anon" || o.kind === "file") {
              const want = highestGap(p, len);
              const got = o.kind === "anon" ? p.mmap(0, len, o.prot, MAP_PRIVATE | MAP_ANONYMOUS) : p.mmap(0, len, o.prot, MAP_PRIVATE, fd, 0);
              expect(got, "unmapped_area_topdown(): highest free gap below mmap_base").toBe(want);
            } else if (o.kind === "fixed") p.mmap(win + o.slot * P, len, o.prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
            else if (o.kind === "munmap") p.munmap(win + o.slot * P, len);
            else p.mprotect(win + o.slot * P, len, o.prot);
          } catch (e) {
            if (!(e instanceof KernelError)) throw e;
          }
          expect(p.mm.tree.validate()).toBeNull();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a mapping expanded downwards, then a new one below it, then a third: each lands right below the last (chapter writers' reproducer)", () => {
    const p = boot().spawn();
    const fd = p.open("/var/lib/mergeable/data.bin", O_RDWR);
    const a = p.mmap(0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    const b = p.mmap(0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    const c = p.mmap(0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    expect(b).toBe(a - P);
    expect(c).toBe(b - P);
    expect(p.mm.tree.validate()).toBeNull();
  });
});
