/**
 * The address-space index: VMAs ordered by vm_start, with O(log n) lookup, insert and erase.
 *
 * The kernel keeps VMAs in a maple tree (mm->mm_mt, 6.1+); this is an AVL tree with the VMAs
 * also threaded on a doubly linked list, so vma_prev()/vma_next() are O(1). Simplification: the
 * tree's shape is not the maple tree's; only the ordering and complexity are modelled.
 * Keys may be mutated in place (merges grow and shrink VMAs) as long as the order is unchanged,
 * which is true of every VMA operation: VMAs never overlap. Like the maple tree, each subtree
 * records its largest free gap, so get_unmapped_area() finds a hole in O(log n): after changing
 * a VMA's range, call update() (the kernel's vma_iter_store()) so the gaps stay right.
 * @module
 */

/** What the tree needs of a VMA. */
export interface TreeItem<T> {
  start: number;
  end: number;
  prev: T | null;
  next: T | null;
  /** @internal The tree node holding this item. */
  treeNode: unknown;
}

/** The free gap below a VMA: from the previous VMA's end to this VMA's vm_start_gap(). */
export type GapFn<T> = (item: T) => number;

class Node<T extends TreeItem<T>> {
  left: Node<T> | null = null;
  right: Node<T> | null = null;
  parent: Node<T> | null = null;
  height = 1;
  maxGap = 0;
  constructor(public item: T) {
    item.treeNode = this;
  }
}

type N<T extends TreeItem<T>> = Node<T> | null;

export class VmaTree<T extends TreeItem<T>> {
  private root: N<T> = null;
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

  /** Recompute height and subtree gap; re-parent the children. */
  private fix(n: Node<T>): void {
    const l = n.left;
    const r = n.right;
    let h = 0;
    let g = this.gap(n.item);
    if (l) {
      l.parent = n;
      h = l.height;
      if (l.maxGap > g) g = l.maxGap;
    }
    if (r) {
      r.parent = n;
      if (r.height > h) h = r.height;
      if (r.maxGap > g) g = r.maxGap;
    }
    n.height = h + 1;
    n.maxGap = g;
  }

  private rotateRight(n: Node<T>): Node<T> {
    const l = n.left!;
    n.left = l.right;
    l.right = n;
    this.fix(n);
    this.fix(l);
    return l;
  }

  private rotateLeft(n: Node<T>): Node<T> {
    const r = n.right!;
    n.right = r.left;
    r.left = n;
    this.fix(n);
    this.fix(r);
    return r;
  }

  private balance(n: Node<T>): Node<T> {
    this.fix(n);
    const hl = n.left ? n.left.height : 0;
    const hr = n.right ? n.right.height : 0;
    if (hl - hr > 1) {
      const l = n.left!;
      if ((l.left ? l.left.height : 0) < (l.right ? l.right.height : 0)) n.left = this.rotateLeft(l);
      return this.rotateRight(n);
    }
    if (hr - hl > 1) {
      const r = n.right!;
      if ((r.right ? r.right.height : 0) < (r.left ? r.left.height : 0)) n.right = this.rotateRight(r);
      return this.rotateLeft(n);
    }
    return n;
  }

  private setRoot(n: N<T>): void {
    this.root = n;
    if (n) n.parent = null;
  }

  /** The VMA with the greatest vm_start <= addr, or null. */
  floor(addr: number): T | null {
    let n = this.root;
    let best: T | null = null;
    while (n) {
      if (n.item.start <= addr) {
        best = n.item;
        n = n.right;
      } else n = n.left;
    }
    return best;
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
   * Insert a VMA that overlaps none of the others: one descent to find its predecessor, then the
   * new leaf hangs next to it (its in-order neighbour) and the path back up is rebalanced.
   */
  insert(item: T, prev?: T | null): void {
    const before = prev !== undefined ? prev : this.floor(item.start);
    const after = before ? before.next : this._first;
    item.prev = before;
    item.next = after;
    if (before) before.next = item;
    else this._first = item;
    if (after) after.prev = item;
    else this._last = item;
    const leaf = new Node(item);
    if (!this.root) this.root = leaf;
    else if (before) {
      const bn = before.treeNode as Node<T>;
      if (!bn.right) {
        bn.right = leaf;
        leaf.parent = bn;
      } else {
        // The in-order successor of `before` is `after`, the leftmost node of bn.right: no left child.
        const an = after!.treeNode as Node<T>;
        an.left = leaf;
        leaf.parent = an;
      }
    } else {
      const an = after!.treeNode as Node<T>;
      an.left = leaf;
      leaf.parent = an;
    }
    this._size++;
    this.retrace(leaf);
    if (after) this.update(after);
  }

  /** Recompute heights and gaps from `n` up to the root, rotating where the AVL balance broke. */
  private retrace(n: N<T>): void {
    while (n) {
      const parent = n.parent;
      const top = this.balance(n);
      if (!parent) this.setRoot(top);
      else if (parent.left === n) parent.left = top;
      else parent.right = top;
      top.parent = parent;
      n = parent;
    }
  }

  /**
   * Recompute the gaps from `item` up to the root after its range (or its predecessor's end)
   * changed; stops as soon as a subtree's largest gap is unchanged.
   */
  update(item: T): void {
    let n = item.treeNode as N<T>;
    while (n) {
      const before = n.maxGap;
      this.fix(n);
      if (n.maxGap === before && n !== item.treeNode) return;
      n = n.parent;
    }
  }

  /** The rightmost VMA starting at or below `maxStart` with a gap of at least `len` bytes below it. */
  rightmostGap(maxStart: number, len: number): T | null {
    return this.searchRight(this.root, maxStart, len);
  }

  private searchRight(n: N<T>, maxStart: number, len: number): T | null {
    if (!n || n.maxGap < len) return null;
    if (n.item.start > maxStart) return this.searchRight(n.left, maxStart, len);
    const r = this.searchRight(n.right, maxStart, len);
    if (r) return r;
    if (this.gap(n.item) >= len) return n.item;
    return this.searchRight(n.left, maxStart, len);
  }

  /** Erase a VMA that is in the tree (through its node: no search). */
  erase(item: T): void {
    let n = item.treeNode as Node<T> | null;
    if (!n || n.item !== item) throw new Error(`vma_tree: erasing a VMA at 0x${item.start.toString(16)} that is not in the tree`);
    if (n.left && n.right) {
      // Two children: the successor (no left child) takes this node's place in the order.
      let s = n.right;
      while (s.left) s = s.left;
      n.item = s.item;
      n.item.treeNode = n;
      n = s;
    }
    const child = n.left ?? n.right;
    const parent = n.parent;
    if (child) child.parent = parent;
    if (!parent) this.setRoot(child);
    else if (parent.left === n) parent.left = child;
    else parent.right = child;
    this.retrace(parent);
    const after = item.next;
    if (item.prev) item.prev.next = item.next;
    else this._first = item.next;
    if (item.next) item.next.prev = item.prev;
    else this._last = item.prev;
    item.prev = item.next = null;
    item.treeNode = null;
    this._size--;
    if (after) this.update(after);
  }

  /**
   * Check every invariant (order, list links, AVL heights, parent links, subtree gaps) and
   * return the first violation, or null. For tests: the kernel's equivalent is validate_mm().
   */
  validate(): string | null {
    let count = 0;
    const walk = (n: N<T>, parent: N<T>, lo: number, hi: number): [number, number] | string => {
      if (!n) return [0, -1];
      count++;
      if (n.parent !== parent) return `bad parent link at 0x${n.item.start.toString(16)}`;
      if (n.item.treeNode !== n) return `bad treeNode at 0x${n.item.start.toString(16)}`;
      if (n.item.start < lo || n.item.start > hi) return `order violated at 0x${n.item.start.toString(16)}`;
      const l = walk(n.left, n, lo, n.item.start - 1);
      if (typeof l === "string") return l;
      const r = walk(n.right, n, n.item.start + 1, hi);
      if (typeof r === "string") return r;
      const height = Math.max(l[0], r[0]) + 1;
      const gap = Math.max(this.gap(n.item), l[1], r[1]);
      if (height !== n.height || Math.abs(l[0] - r[0]) > 1) return `bad height at 0x${n.item.start.toString(16)}`;
      if (gap !== n.maxGap) return `stale gap at 0x${n.item.start.toString(16)}: ${n.maxGap} recorded, ${gap} real`;
      return [height, gap];
    };
    const res = walk(this.root, null, -Infinity, Infinity);
    if (typeof res === "string") return res;
    if (count !== this._size) return `size ${this._size} but ${count} nodes`;
    let prev: T | null = null;
    let listed = 0;
    for (let v = this._first; v; v = v.next) {
      if (v.prev !== prev) return `bad prev link at 0x${v.start.toString(16)}`;
      if (prev && prev.end > v.start) return `overlap at 0x${v.start.toString(16)}`;
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
