// The address-space index on its own (src/engine/vma_tree.ts): a B+ tree of 16-slot nodes with
// cached keys and per-slot gaps, driven with a tiny item type and checked against a sorted array
// by brute force — floor/findVma/lookup/intersection/rightmostGap answers, the prev/next list,
// and validate() after every step, at sizes from empty to several levels deep and back.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { VmaTree, type TreeItem } from "../../src/engine/vma_tree.ts";

class Item implements TreeItem<Item> {
  prev: Item | null = null;
  next: Item | null = null;
  treeNode: unknown = null;
  constructor(public start: number, public end: number) {}
}

/** Addresses above 2^32, like real ones, so keys are not small integers. */
const BASE = 0x7f0000000000;
const U = 4096; // address units (pages) per test space

/** The gap below an item, as mm.ts computes it without VM_GROWSDOWN (the space starting at BASE). */
const gapOf = (v: Item): number => Math.max(0, v.start - (v.prev ? v.prev.end : BASE));

/** The tree and a sorted array that models it. */
class Harness {
  readonly tree = new VmaTree<Item>(gapOf);
  model: Item[] = [];

  /** Index of the first model item with start > addr. */
  private upper(addr: number): number {
    let lo = 0;
    let hi = this.model.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.model[mid]!.start <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The free range [lo, hi) containing addr, or null if addr is mapped. */
  freeAround(addr: number): [number, number] | null {
    const i = this.upper(addr);
    const below = this.model[i - 1];
    if (below && below.end > addr) return null;
    return [below ? below.end : BASE, this.model[i] ? this.model[i]!.start : BASE + U];
  }

  insert(start: number, end: number, hint: boolean): Item {
    const v = new Item(start, end);
    const i = this.upper(start);
    if (hint) this.tree.insert(v, i > 0 ? this.model[i - 1]! : null);
    else this.tree.insert(v);
    this.model.splice(i, 0, v);
    return v;
  }

  erase(v: Item): void {
    this.tree.erase(v);
    this.model.splice(this.model.indexOf(v), 1);
  }

  /** Check the list, size, ends and validate(). */
  checkStructure(): void {
    expect(this.tree.validate()).toBeNull();
    expect(this.tree.size).toBe(this.model.length);
    expect(this.tree.first()).toBe(this.model[0] ?? null);
    expect(this.tree.last()).toBe(this.model[this.model.length - 1] ?? null);
    const arr = this.tree.toArray();
    expect(arr.length).toBe(this.model.length);
    expect(arr.findIndex((v, i) => v !== this.model[i]), "first item where the list and the model differ").toBe(-1);
  }

  /** Compare every query with brute force at `addr` (and a gap request of `len`). */
  checkQueries(addr: number, len: number, span: number): void {
    const m = this.model;
    const i = this.upper(addr);
    const floor = m[i - 1] ?? null;
    expect(this.tree.floor(addr)).toBe(floor);
    const find = m.find((v) => v.end > addr) ?? null;
    expect(this.tree.findVma(addr)).toBe(find);
    expect(this.tree.lookup(addr)).toBe(floor && floor.end > addr ? floor : null);
    expect(this.tree.intersection(addr, addr + span)).toBe(find && find.start < addr + span ? find : null);
    let want: Item | null = null;
    for (let j = i - 1; j >= 0; j--) {
      if (gapOf(m[j]!) >= len) {
        want = m[j]!;
        break;
      }
    }
    expect(this.tree.rightmostGap(addr, len)).toBe(want);
  }
}

/** A random step, interpreted against the current contents. */
const step = fc.record({
  kind: fc.constantFrom("insert", "insert", "insert", "insertHint", "erase", "moveStart", "moveEnd"),
  a: fc.nat({ max: U - 1 }),
  b: fc.nat({ max: 16 }),
  c: fc.nat({ max: 1 << 20 }),
});
type Step = { kind: string; a: number; b: number; c: number };

function apply(h: Harness, s: Step): void {
  const m = h.model;
  if (s.kind === "insert" || s.kind === "insertHint") {
    const addr = BASE + s.a;
    const free = h.freeAround(addr);
    if (!free) return;
    const end = Math.min(free[1], addr + 1 + s.b);
    h.insert(addr, end, s.kind === "insertHint");
  } else if (m.length === 0) {
    return;
  } else if (s.kind === "erase") {
    h.erase(m[s.c % m.length]!);
  } else if (s.kind === "moveStart") {
    // Move an item's start anywhere in (prev.end, end): the order cannot change.
    const v = m[s.c % m.length]!;
    const lo = v.prev ? v.prev.end : BASE;
    v.start = lo + ((s.a + s.b) % (v.end - lo));
    h.tree.update(v);
  } else {
    // Move an item's end anywhere in (start, next.start]: the next item's gap changes.
    const v = m[s.c % m.length]!;
    const hi = v.next ? v.next.start : BASE + U;
    v.end = v.start + 1 + ((s.a + s.b) % (hi - v.start));
    if (v.next) h.tree.update(v.next);
  }
}

describe("VmaTree (B+ tree) against a sorted array", () => {
  it("random insert/erase/update sequences: answers and invariants after every step", () => {
    fc.assert(
      fc.property(fc.nat({ max: 400 }), fc.array(step, { minLength: 1, maxLength: 300, size: "max" }), fc.array(fc.tuple(fc.nat({ max: U + 8 }), fc.nat({ max: 80 })), { minLength: 4, maxLength: 4 }), (prefill, steps, probes) => {
        const h = new Harness();
        // Start from `prefill` items spread over the space (up to 3 levels), every other one placed by hint.
        const stride = Math.floor(U / (prefill + 1)); // at least 10
        for (let j = 0; j < prefill; j++) h.insert(BASE + j * stride + 1, BASE + j * stride + 2 + (j % 3), j % 2 === 0);
        h.checkStructure();
        for (const s of steps) {
          apply(h, s);
          h.checkStructure();
          for (const [a, len] of probes) h.checkQueries(BASE + a - 4, len, 1 + (len % 9));
        }
      }),
      { numRuns: 100 },
    );
  });

  it("grows to 5,000 items in random order (several levels), mutates them in place, and shrinks back to 0", () => {
    const rnd = lcg(7);
    const h = new Harness();
    const N = 5000;
    // Items at slots 0..N-1 of width 3 units each, inserted in random order, with random gaps.
    const order = shuffle([...Array(N).keys()], rnd);
    let k = 0;
    for (const i of order) {
      const start = BASE * 2 + i * 8 + (rnd() % 3);
      h.insert(start, start + 1 + (rnd() % 3), k % 2 === 0);
      if (++k % 97 === 0 || k < 300) h.checkStructure();
    }
    h.checkStructure();
    // 4 levels at least: 5,000 items in nodes of at most 16.
    for (let j = 0; j < 2000; j++) h.checkQueries(BASE * 2 + (rnd() % (N * 8 + 16)) - 8, rnd() % 9, 1 + (rnd() % 20));
    // In-place mutation: every item's start and end move within their free neighbourhood.
    for (let j = 0; j < 3000; j++) {
      const v = h.model[rnd() % N]!;
      const lo = v.prev ? v.prev.end : 0;
      const hi = v.next ? v.next.start : Infinity;
      if (j % 2) {
        v.start = Math.max(lo, v.start - 2 + (rnd() % 4));
        if (v.start >= v.end) v.start = v.end - 1;
        h.tree.update(v);
      } else {
        v.end = Math.min(hi, Math.max(v.start + 1, v.end - 2 + (rnd() % 4)));
        if (v.next) h.tree.update(v.next);
      }
      if (j % 50 === 0) h.checkStructure();
    }
    h.checkStructure();
    for (let j = 0; j < 2000; j++) h.checkQueries(BASE * 2 + (rnd() % (N * 8 + 16)) - 8, rnd() % 9, 1 + (rnd() % 20));
    // Erase everything in random order; the tree loses its levels on the way.
    k = 0;
    for (const v of shuffle([...h.model], rnd)) {
      h.erase(v);
      expect(v.prev).toBeNull();
      expect(v.next).toBeNull();
      expect(v.treeNode).toBeNull();
      if (++k % 97 === 0 || h.model.length < 300) h.checkStructure();
    }
    h.checkStructure();
    expect(h.tree.floor(Infinity)).toBeNull();
    expect(h.tree.rightmostGap(Infinity, 0)).toBeNull();
  });

  it("ascending and descending insertion, erasure from either end (edge splits, first-key updates, root collapse)", () => {
    for (const dir of [1, -1]) {
      const h = new Harness();
      const N = 1200;
      // Item i has a gap of i + 1 below it: the largest gap is the last item's, so erasing from
      // the end removes the largest gap every time and the recorded maxima must come down.
      const start = (i: number): number => BASE + (i * (i + 3)) / 2 + 1;
      for (let j = 0; j < N; j++) {
        const i = dir > 0 ? j : N - 1 - j;
        h.insert(start(i), start(i) + 1, dir > 0 && j % 3 === 0);
        if (j % 37 === 0) h.checkStructure();
      }
      h.checkStructure();
      for (let j = 0; j < 300; j++) h.checkQueries(start(j * 4) - 1, j, 3);
      while (h.model.length) {
        h.erase(dir > 0 ? h.model[h.model.length - 1]! : h.model[0]!);
        if (h.model.length % 7 === 0) h.checkStructure();
      }
      h.checkStructure();
    }
  });

  it("update() after moving the first item's start refreshes the keys above it", () => {
    const h = new Harness();
    for (let i = 0; i < 600; i++) h.insert(BASE + 10 + i * 10, BASE + 15 + i * 10, false);
    // Move the start of every leaf's first item down (each such key is copied in ancestors).
    for (const v of h.model) {
      v.start -= 3;
      h.tree.update(v);
      expect(h.tree.validate()).toBeNull();
    }
    for (let j = 0; j < 700; j++) h.checkQueries(BASE + j * 9, j % 12, 4);
  });

  it("erase of an item that is not in the tree throws, and leaves the tree intact", () => {
    const h = new Harness();
    for (let i = 0; i < 40; i++) h.insert(BASE + i * 4, BASE + i * 4 + 2, false);
    const stranger = new Item(BASE + 1000, BASE + 1001);
    expect(() => h.tree.erase(stranger)).toThrow(/not in the tree/);
    const v = h.model[7]!;
    h.erase(v);
    expect(() => h.tree.erase(v)).toThrow(/not in the tree/);
    // An item of another tree.
    const other = new VmaTree<Item>(gapOf);
    const w = new Item(BASE + 2000, BASE + 2001);
    other.insert(w);
    expect(() => h.tree.erase(w)).toThrow(/not in the tree/);
    h.checkStructure();
    expect(other.validate()).toBeNull();
  });

  it("validate() reports broken invariants", () => {
    const h = new Harness();
    for (let i = 0; i < 100; i++) h.insert(BASE + i * 4, BASE + i * 4 + 2, false);
    const v = h.model[50]!;
    v.start += 1; // no update(): the cached key and gap are stale
    expect(h.tree.validate()).toMatch(/stale (key|gap)/);
    h.tree.update(v);
    expect(h.tree.validate()).toBeNull();
    v.prev!.end += 1; // no update(v): its cached gap is stale
    expect(h.tree.validate()).toMatch(/stale gap/);
    h.tree.update(v);
    expect(h.tree.validate()).toBeNull();
  });
});

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 8;
  };
}

function shuffle<X>(a: X[], rnd: () => number): X[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rnd() % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
