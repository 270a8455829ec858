// vm_area_cachep (src/engine/vma_cache.ts): a VMA freed by one syscall is handed out again only
// from the next syscall on (the RCU grace period of vm_area_free()), and comes back as a new VMA:
// every field reset, a new identity. Nothing of the old mapping may leak into the new one.
import { describe, expect, it } from "vitest";
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PR_SET_VMA, PR_SET_VMA_ANON_NAME, PROT_READ, PROT_WRITE } from "mergeable";
import { carveout, P } from "./helpers";

const RW = PROT_READ | PROT_WRITE;
const FIXED = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

describe("vm_area_cachep", () => {
  it("a VMA unmapped by mmap(MAP_FIXED) is not reused within the same call", () => {
    //   0123      0123
    //   CAAC  →   CBBC   (B replaces A in one mmap(): B must be a new object)
    const b = carveout("6.18", 4);
    b.p.mmap(b.at(1), 2 * P, PROT_READ, FIXED);
    const a = b.p.mm.findVma(b.at(1))!;
    b.p.mmap(b.at(1), 2 * P, RW, FIXED);
    const nb = b.p.mm.findVma(b.at(1))!;
    expect(nb).not.toBe(a);
    expect(a.treeNode, "the replaced VMA left the tree").toBeNull();
  });

  it("a VMA freed by one call comes back in a later call with every field reset", () => {
    //   0123      0123      0123
    //   CAAC  →   C..C  →   CBBC   (A faulted and named; B fresh)
    const b = carveout("6.18", 4);
    b.p.mmap(b.at(1), 2 * P, RW, FIXED);
    b.p.poke(b.at(1), 7);
    b.p.prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, b.at(1), 2 * P, "old");
    const a = b.p.mm.findVma(b.at(1))!;
    const oldId = a.id;
    expect(a.anonVma).not.toBeNull();
    b.p.munmap(b.at(1), 2 * P);
    b.p.mmap(b.at(1), 2 * P, PROT_READ, FIXED);
    const nb = b.p.mm.findVma(b.at(1))!;
    // Whether or not the slab handed back the same object, the VMA must be new in every field.
    expect(nb.id).not.toBe(oldId);
    expect(nb.anonVma).toBeNull();
    expect(nb.anonName).toBeNull();
    expect(nb.forkChild).toBe(false);
    expect(nb.special).toBeNull();
    expect(nb.hasCloseHook).toBe(false);
    expect([nb.start, nb.end, nb.pgoff]).toEqual([b.at(1), b.at(3), b.at(1) / P]);
    expect(b.p.maps()).not.toContain("[anon:old]");
    expect(b.p.mm.tree.validate()).toBeNull();
  });

  it("freed VMAs are reused: a long map/unmap loop does not allocate a VMA per call", () => {
    const b = carveout("6.18", 4);
    const seen = new Set<object>();
    for (let i = 0; i < 50; i++) {
      b.p.mmap(b.at(1), P, RW, FIXED);
      seen.add(b.p.mm.findVma(b.at(1))!);
      b.p.munmap(b.at(1), P);
    }
    // Each mmap() punches into the carveout (split + new VMA) and each munmap() frees what it made:
    // a handful of objects go round, not 50.
    expect(seen.size).toBeLessThan(5);
  });
});
