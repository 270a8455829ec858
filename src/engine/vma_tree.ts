/**
 * The address-space index: VMAs ordered by vm_start, with O(log n) lookup, insert and erase.
 *
 * The kernel keeps VMAs in a maple tree (mm->mm_mt, 6.1+, lib/maple_tree.c). This is a B+ tree
 * shaped like it, with the VMAs also threaded on a doubly linked list so vma_prev()/vma_next()
 * (mas_prev()/mas_next()) are O(1) and in-order walks never touch the tree.
 *
 * What it mirrors:
 * - Wide nodes: 16 slots per node, like maple_range_64 (MAPLE_RANGE64_SLOTS): ~5 levels at
 *   65,530 VMAs where a binary tree has ~17. Each node keeps its keys in one contiguous array of
 *   numbers, so a descent reads a couple of cache lines per level and never dereferences a VMA.
 * - Keys: keys[i] is the lowest vm_start under slot i, i.e. the maple tree's pivot[i - 1] + 1
 *   (pivots are inclusive upper bounds; storing the lower bound makes floor() a single descent).
 * - Gap tracking, as in maple_arange_64: gaps[i] is the largest gap under slot i (ma_gaps()) —
 *   in a leaf, the cached gap below item i — and each node also records its own largest gap
 *   (the kernel records which slot holds it, ma_meta_gap()). A change goes up only while it
 *   changes a node's largest gap (mas_update_gap() / mas_parent_gap()), so most updates stop in
 *   the leaf. rightmostGap() prunes on those numbers, as mas_rev_awalk() does for
 *   unmapped_area_topdown().
 * - Parent pointers (struct maple_pnode); the slot in the parent is found by scanning the
 *   parent's 16 slots (the kernel encodes it in the parent pointer, mte_parent_slot()).
 * - Rebalancing: a full node splits in two (mas_split(); simplified: the kernel first tries to
 *   push entries into a sibling, mas_push_data()); a non-root node under
 *   mt_min_slots[maple_range_64] = 6 entries is merged with, or refilled from, a sibling
 *   (mas_rebalance()); a root left with one child is replaced by it. Height changes only at the
 *   root, so every leaf is at the same depth.
 * What is simplified: the maple tree stores ranges, with the gaps themselves as NULL entries, in
 * RCU-safe copy-on-write nodes (a store builds new nodes and swaps them in); here the keys are only
 * vm_start, gaps are numbers computed by the caller's GapFn, and nodes are modified in place.
 * Each VMA points at its leaf (treeNode), so erase() and update() need no key search: the slot is
 * found by identity among at most 16 entries (the kernel walks down with a vma_iterator).
 *
 * Keys may be mutated in place (merges grow and shrink VMAs) as long as the order is unchanged,
 * which is true of every VMA operation: VMAs never overlap. After changing a VMA's start, or its
 * predecessor's end, call update() (the kernel's vma_iter_store()) so the cached key and gaps
 * stay right.
 * @module
 */

/** What the tree needs of a VMA. */
export interface TreeItem<T> {
  start: number;
  end: number;
  prev: T | null;
  next: T | null;
  /** @internal The tree node (leaf) holding this item. */
  treeNode: unknown;
}

/** The free gap below a VMA: from the previous VMA's end to this VMA's vm_start_gap(). */
export type GapFn<T> = (item: T) => number;

/** Slots per node: maple_range_64 has 16 (MAPLE_RANGE64_SLOTS). */
const WIDTH = 16;
/** mt_min_slots[maple_range_64]: a non-root node with fewer entries is rebalanced. */
const MIN_FILL = WIDTH / 2 - 2;
/**
 * Two siblings whose entries fit in this many slots are merged, else their entries are shared
 * out evenly: below WIDTH so a merge does not make a full node that the next insert splits, and
 * at most 2 * MIN_FILL so each half of a redistribution has at least MIN_FILL.
 */
const MERGE_MAX = 2 * MIN_FILL;

// Templates copied with slice() (which allocates exactly WIDTH elements). The number template
// starts with unboxed-double storage (addresses exceed small integers), so every node's arrays have
// the same V8 elements kind and the load sites stay monomorphic.
const DOUBLES: number[] = [0.5];
const NULLS: null[] = [null];
for (let i = 1; i < WIDTH; i++) {
  DOUBLES.push(0.5);
  NULLS.push(null);
}
DOUBLES.fill(0);

/** A tree node: a leaf holds items, an internal node holds child nodes (struct maple_node). */
class Node<T> {
  count = 0;
  parent: Node<T> | null = null;
  /** The largest of gaps[] (its parent's gaps[] entry for this node; the kernel's ma_meta_gap() slot). */
  max = 0;
  /** keys[i]: the lowest vm_start under slots[i] (the item's own start in a leaf). */
  readonly keys: number[] = DOUBLES.slice();
  /** gaps[i]: the largest gap under slots[i] (the item's own gap in a leaf). */
  readonly gaps: number[] = DOUBLES.slice();
  /** Items (leaf) or child nodes; null past `count`. */
  readonly slots: (T | Node<T> | null)[] = NULLS.slice();
  /** The tree the node belongs to: erase() refuses another tree's VMA instead of corrupting both. */
  constructor(readonly leaf: boolean, readonly owner: object) {}
}

/** The last slot whose key is <= key, or -1. Keys are few and contiguous: a linear scan. */
function floorSlot(keys: number[], count: number, key: number): number {
  let i = count - 1;
  while (i >= 0 && keys[i]! > key) i--;
  return i;
}

/** ma_max_gap(): the largest gap in a node, from its gaps[] alone. */
function maxGap<T>(n: Node<T>): number {
  const g = n.gaps;
  let m = 0;
  for (let i = 0; i < n.count; i++) if (g[i]! > m) m = g[i]!;
  return m;
}

/** The slot of child `c` in its parent `p` (bounded: a broken parent link throws rather than hangs). */
function slotOf<T>(p: Node<T>, c: Node<T>): number {
  for (let i = 0; i < p.count; i++) if (p.slots[i] === c) return i;
  throw new Error("vma_tree: a node is missing from its parent");
}

/** Make `n` the owner of its slots [from, to): the leaf of moved items, the parent of moved nodes. */
function adopt<T extends TreeItem<T>>(n: Node<T>, from: number, to: number): void {
  for (let j = from; j < to; j++) {
    if (n.leaf) (n.slots[j] as T).treeNode = n;
    else (n.slots[j] as Node<T>).parent = n;
  }
}

/** Open slot `pos` (there is room) and fill it. */
function insertAt<T>(n: Node<T>, pos: number, key: number, gap: number, slot: T | Node<T>): void {
  const { keys, gaps, slots } = n;
  for (let j = n.count; j > pos; j--) {
    keys[j] = keys[j - 1]!;
    gaps[j] = gaps[j - 1]!;
    slots[j] = slots[j - 1]!;
  }
  keys[pos] = key;
  gaps[pos] = gap;
  slots[pos] = slot;
  n.count++;
}

/** Close slot `pos`. */
function removeAt<T>(n: Node<T>, pos: number): void {
  const { keys, gaps, slots } = n;
  const last = --n.count;
  for (let j = pos; j < last; j++) {
    keys[j] = keys[j + 1]!;
    gaps[j] = gaps[j + 1]!;
    slots[j] = slots[j + 1]!;
  }
  slots[last] = null;
}

/** Copy `k` slots from src[from..] to dst[to..], in ascending order (safe within a node when to < from). */
function copySlots<T>(src: Node<T>, from: number, dst: Node<T>, to: number, k: number): void {
  for (let j = 0; j < k; j++) {
    dst.keys[to + j] = src.keys[from + j]!;
    dst.gaps[to + j] = src.gaps[from + j]!;
    dst.slots[to + j] = src.slots[from + j]!;
  }
}

const hex = (a: number): string => `0x${a.toString(16)}`;

export class VmaTree<T extends TreeItem<T>> {
  /** Never null: an empty tree is an empty leaf. */
  private root: Node<T> = new Node<T>(true, this);
  private _size = 0;
  private _first: T | null = null;
  private _last: T | null = null;

  constructor(private readonly gap: GapFn<T>) {}

  get size(): number {
    return this._size;
  }

  first(): T | null {
    return this._first;
  }

  last(): T | null {
    return this._last;
  }

  /** The VMA with the greatest vm_start <= addr, or null: one descent over cached keys. */
  floor(addr: number): T | null {
    let n = this.root;
    while (!n.leaf) {
      const i = floorSlot(n.keys, n.count, addr);
      n = n.slots[i < 0 ? 0 : i] as Node<T>;
    }
    const i = floorSlot(n.keys, n.count, addr);
    return i < 0 ? null : (n.slots[i] as T);
  }

  /** mm/mmap.c find_vma(): the first VMA with vm_end > addr, or null. */
  findVma(addr: number): T | null {
    const f = this.floor(addr);
    if (f && f.end > addr) return f;
    return f ? f.next : this._first;
  }

  /** mm/mmap.c vma_lookup(): the VMA containing addr, or null. */
  lookup(addr: number): T | null {
    const f = this.floor(addr);
    return f && f.end > addr ? f : null;
  }

  /** find_vma_intersection(): the first VMA overlapping [start, end), or null. */
  intersection(start: number, end: number): T | null {
    const v = this.findVma(start);
    return v && v.start < end ? v : null;
  }

  /**
   * Insert a VMA that overlaps none of the others: one descent to its leaf slot, a split if the
   * leaf is full, then the gaps above it and the gap of the VMA after it are brought up to date.
   * A caller that already knows the predecessor passes it as `prev` (null: the VMA goes first),
   * as the kernel's vma_iterator is already positioned, and there is no descent at all.
   */
  insert(item: T, prev?: T | null): void {
    let leaf: Node<T>;
    let pos: number;
    if (prev === undefined) {
      leaf = this.root;
      const key = item.start;
      while (!leaf.leaf) {
        const i = floorSlot(leaf.keys, leaf.count, key);
        leaf = leaf.slots[i < 0 ? 0 : i] as Node<T>;
      }
      pos = floorSlot(leaf.keys, leaf.count, key) + 1;
      // pos is 0 only in the leftmost leaf: elsewhere the descent chose a child whose lowest key is <= key.
      prev = pos > 0 ? (leaf.slots[pos - 1] as T) : null;
    } else if (prev) {
      // The slot after the predecessor's, even at the end of its leaf: item.start is below the next leaf's keys.
      const pl = prev.treeNode as Node<T> | null;
      pos = 1;
      if (pl) while (pos <= pl.count && pl.slots[pos - 1] !== prev) pos++;
      if (!pl || pl.owner !== this || pos > pl.count) throw new Error(
        `vma_tree: inserting after a VMA at ${hex(prev.start)} that is not in the tree`);
      leaf = pl;
    } else {
      leaf = this._first ? (this._first.treeNode as Node<T>) : this.root;
      pos = 0;
    }
    const after = prev ? prev.next : this._first;
    item.prev = prev;
    item.next = after;
    if (prev) prev.next = item;
    else this._first = item;
    if (after) after.prev = item;
    else this._last = item;
    if (leaf.count === WIDTH) {
      const right = this.split(leaf);
      if (pos > leaf.count) {
        pos -= leaf.count;
        leaf = right;
      }
    }
    // Enter it with gap 0, then set its real gap: setGap() pushes a new largest gap up.
    insertAt(leaf, pos, item.start, 0, item);
    item.treeNode = leaf;
    this._size++;
    if (pos === 0) this.fixKey(leaf);
    this.setGap(leaf, pos, this.gap(item));
    if (after) this.update(after);
  }

  /**
   * mas_split(): move the upper half of a full node into a new right sibling and link it into
   * the parent (splitting the parent first if it is full, or growing a new root). The parent's
   * gap for the pair is the old node's, so nothing above changes. Returns the new sibling.
   */
  private split(n: Node<T>): Node<T> {
    const r = new Node<T>(n.leaf, this);
    const half = n.count >> 1;
    const moved = n.count - half;
    copySlots(n, half, r, 0, moved);
    for (let j = half; j < n.count; j++) n.slots[j] = null;
    n.count = half;
    r.count = moved;
    adopt(r, 0, moved);
    n.max = maxGap(n);
    r.max = maxGap(r);
    const p = n.parent;
    if (!p) {
      const root = new Node<T>(false, this);
      insertAt(root, 0, n.keys[0]!, n.max, n);
      insertAt(root, 1, r.keys[0]!, r.max, r);
      root.max = Math.max(n.max, r.max);
      n.parent = r.parent = root;
      this.root = root;
      return r;
    }
    let q = p;
    let i = slotOf(p, n);
    if (p.count === WIDTH) {
      const pr = this.split(p);
      if (i >= p.count) {
        i -= p.count;
        q = pr;
      }
    }
    q.gaps[i] = n.max;
    insertAt(q, i + 1, r.keys[0]!, r.max, r);
    r.parent = q;
    return r;
  }

  /** A node's lowest key changed: copy it into the ancestors' keys while it is their lowest too. */
  private fixKey(n: Node<T>): void {
    const key = n.keys[0]!;
    for (let p = n.parent; p; n = p, p = n.parent) {
      const i = slotOf(p, n);
      if (p.keys[i] === key) return;
      p.keys[i] = key;
      if (i !== 0) return;
    }
  }

  /**
   * mas_parent_gap(): set gaps[i] of node `n` to `g` and, while that changes the node's largest
   * gap, the parent's entry for the node, and so on up. Reads no VMA.
   */
  private setGap(n: Node<T>, i: number, g: number): void {
    for (;;) {
      const old = n.gaps[i]!;
      if (old === g) return;
      n.gaps[i] = g;
      const max = n.max;
      let nmax: number;
      if (g >= max) nmax = g;
      else if (old < max) return; // the largest gap is in another slot
      else nmax = maxGap(n);
      if (nmax === max) return;
      n.max = nmax;
      const p = n.parent;
      if (!p) return;
      i = slotOf(p, n);
      n = p;
      g = nmax;
    }
  }

  /** mas_update_gap(): recompute a node's largest gap after its entries changed, and push it up. */
  private refreshMax(n: Node<T>): void {
    const g = maxGap(n);
    if (g === n.max) return;
    n.max = g;
    if (n.parent) this.setGap(n.parent, slotOf(n.parent, n), g);
  }

  /**
   * Refresh the cached start and gap of `item` after its range (or its predecessor's end)
   * changed in place; the walk up stops as soon as an ancestor's recorded values are unchanged.
   */
  update(item: T): void {
    const leaf = item.treeNode as Node<T> | null;
    if (!leaf || leaf.owner !== this) return;
    let i = 0;
    while (i < leaf.count && leaf.slots[i] !== item) i++;
    if (i === leaf.count) return;
    if (leaf.keys[i] !== item.start) {
      leaf.keys[i] = item.start;
      if (i === 0) this.fixKey(leaf);
    }
    this.setGap(leaf, i, this.gap(item));
  }

  /** The rightmost VMA starting at or below `maxStart` with a gap of at least `len` bytes below it. */
  rightmostGap(maxStart: number, len: number): T | null {
    return this.searchRight(this.root, maxStart, len);
  }

  /**
   * mas_rev_awalk(): right to left over the slots starting at or below maxStart, skipping those
   * whose recorded gap is too small. Only the slot straddling maxStart can fail after passing
   * the gap test, so this is O(log n).
   */
  private searchRight(n: Node<T>, maxStart: number, len: number): T | null {
    const gaps = n.gaps;
    let i = floorSlot(n.keys, n.count, maxStart);
    if (n.leaf) {
      for (; i >= 0; i--) if (gaps[i]! >= len) return n.slots[i] as T;
      return null;
    }
    for (; i >= 0; i--) {
      if (gaps[i]! < len) continue;
      const r = this.searchRight(n.slots[i] as Node<T>, maxStart, len);
      if (r) return r;
    }
    return null;
  }

  /** Erase a VMA that is in the tree (through its leaf: no search). */
  erase(item: T): void {
    const leaf = item.treeNode as Node<T> | null;
    let i = 0;
    if (leaf) while (i < leaf.count && leaf.slots[i] !== item) i++;
    if (!leaf || leaf.owner !== this || i === leaf.count) throw new Error(
      `vma_tree: erasing a VMA at ${hex(item.start)} that is not in the tree`);
    removeAt(leaf, i);
    const after = item.next;
    if (item.prev) item.prev.next = item.next;
    else this._first = item.next;
    if (after) after.prev = item.prev;
    else this._last = item.prev;
    item.prev = item.next = null;
    item.treeNode = null;
    this._size--;
    if (i === 0 && leaf.count > 0) this.fixKey(leaf);
    if (leaf.parent && leaf.count < MIN_FILL) this.rebalance(leaf);
    else this.refreshMax(leaf);
    if (after) this.update(after);
  }

  /**
   * mas_rebalance(): `n` (not the root) is under-full. Merge it with a sibling if both fit in
   * MERGE_MAX slots (the parent loses a slot and may need rebalancing in turn, or, as the root,
   * collapse onto its only child); else share the pair's entries out evenly.
   */
  private rebalance(n: Node<T>): void {
    const p = n.parent!;
    const i = slotOf(p, n);
    const li = i + 1 < p.count ? i : i - 1;
    const l = p.slots[li] as Node<T>;
    const r = p.slots[li + 1] as Node<T>;
    const total = l.count + r.count;
    if (total <= MERGE_MAX) {
      copySlots(r, 0, l, l.count, r.count);
      adopt(l, l.count, total);
      l.count = total;
      r.count = 0;
      r.slots.fill(null);
      r.parent = null;
      l.max = maxGap(l);
      removeAt(p, li + 1);
      p.gaps[li] = l.max;
      if (!p.parent) {
        if (p.count === 1) {
          // The root has one child: that child is the root (the tree loses a level).
          this.root = l;
          l.parent = null;
          p.slots.fill(null);
          p.count = 0;
        } else p.max = maxGap(p);
      } else if (p.count < MIN_FILL) this.rebalance(p);
      else this.refreshMax(p);
      return;
    }
    const want = total >> 1;
    if (l.count < want) {
      // Move r's first k entries to l's end.
      const k = want - l.count;
      copySlots(r, 0, l, l.count, k);
      adopt(l, l.count, want);
      l.count = want;
      copySlots(r, k, r, 0, r.count - k);
      for (let j = r.count - k; j < r.count; j++) r.slots[j] = null;
      r.count -= k;
    } else {
      // Move l's last k entries to r's front.
      const k = l.count - want;
      for (let j = r.count - 1; j >= 0; j--) {
        r.keys[j + k] = r.keys[j]!;
        r.gaps[j + k] = r.gaps[j]!;
        r.slots[j + k] = r.slots[j]!;
      }
      copySlots(l, want, r, 0, k);
      for (let j = want; j < l.count; j++) l.slots[j] = null;
      l.count = want;
      r.count += k;
      adopt(r, 0, k);
    }
    l.max = maxGap(l);
    r.max = maxGap(r);
    p.keys[li + 1] = r.keys[0]!;
    p.gaps[li] = l.max;
    p.gaps[li + 1] = r.max;
    this.refreshMax(p);
  }

  /**
   * Check every invariant and return the first violation, or null. For tests: the kernel's
   * equivalent is validate_mm() / mt_validate(). Checked: items sorted and non-overlapping; cached
   * keys equal the items' starts and each internal key is its child's lowest key, within the
   * bounds its parent gives it; cached gaps equal gap(item), each node's recorded largest gap is
   * the maximum of its gaps and is its parent's entry for it; parent pointers, node ownership and
   * item.treeNode; fill bounds (the root excepted); all leaves at one depth; empty slots cleared;
   * size; list links and first/last.
   */
  validate(): string | null {
    const items: T[] = [];
    let leafDepth = -1;
    const walk = (n: Node<T>, parent: Node<T> | null, depth: number, lo: number, hi: number): string | null => {
      const where = n.count > 0 ? ` (node at ${hex(n.keys[0]!)})` : "";
      if (n.parent !== parent) return `bad parent link${where}`;
      if (n.owner !== this) return `node of another tree${where}`;
      if (n.count > WIDTH) return `overfull node${where}`;
      if (parent && n.count < MIN_FILL) return `under-full node: ${n.count} entries${where}`;
      if (!parent && !n.leaf && n.count < 2) return "internal root with fewer than 2 children";
      for (let j = n.count; j < WIDTH; j++) if (n.slots[j] !== null) return `stale slot ${j}${where}`;
      for (let j = 0; j < n.count; j++) {
        const k = n.keys[j]!;
        const khi = j + 1 < n.count ? n.keys[j + 1]! : hi;
        if (k < lo || k >= khi) return `key ${hex(k)} out of order or outside its parent's bounds${where}`;
        if (n.leaf) {
          const v = n.slots[j] as T | null;
          if (!v) return `empty leaf slot${where}`;
          if (v.treeNode !== n) return `bad treeNode at ${hex(v.start)}`;
          if (v.start !== k) return `stale key at ${hex(v.start)}: ${hex(k)} cached`;
          if (items.length && items[items.length - 1]!.end > v.start) return `overlap at ${hex(v.start)}`;
          const g = this.gap(v);
          if (n.gaps[j] !== g) return `stale gap at ${hex(v.start)}: ${n.gaps[j]} recorded, ${g} real`;
          items.push(v);
        } else {
          const c = n.slots[j] as Node<T> | null;
          if (!c || !(c instanceof Node)) return `empty child slot${where}`;
          if (c.count === 0 || c.keys[0] !== k) return `key ${hex(k)} is not its child's lowest key${where}`;
          if (n.gaps[j] !== c.max) return `stale node gap at ${hex(k)}: ${n.gaps[j]} recorded, ${c.max} in the child`;
          const bad = walk(c, n, depth + 1, k, khi);
          if (bad) return bad;
        }
      }
      const max = maxGap(n);
      if (n.max !== max) return `stale largest gap${where}: ${n.max} recorded, ${max} real`;
      if (n.leaf) {
        if (leafDepth < 0) leafDepth = depth;
        else if (leafDepth !== depth) return `leaves at depths ${leafDepth} and ${depth}${where}`;
      }
      return null;
    };
    const bad = walk(this.root, null, 0, -Infinity, Infinity);
    if (bad) return bad;
    if (items.length !== this._size) return `size ${this._size} but ${items.length} items in the tree`;
    let prev: T | null = null;
    let listed = 0;
    for (let v = this._first; v; v = v.next) {
      if (v.prev !== prev) return `bad prev link at ${hex(v.start)}`;
      if (items[listed] !== v) return `list and tree disagree at ${hex(v.start)}`;
      prev = v;
      listed++;
    }
    if (prev !== this._last || listed !== this._size) return "list and tree disagree";
    return null;
  }

  /** In-order iteration (follows the list). */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let v = this._first; v; v = v.next) yield v;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let v = this._first; v; v = v.next) out.push(v);
    return out;
  }
}
