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
}

/** The free gap below a VMA: from the previous VMA's end to this VMA's vm_start_gap(). */
export type GapFn<T> = (item: T) => number;

class Node<T extends TreeItem<T>> {
  left: Node<T> | null = null;
  right: Node<T> | null = null;
  height = 1;
  maxGap = 0;
  constructor(public item: T) {}
}

const h = <T extends TreeItem<T>>(n: Node<T> | null) => (n ? n.height : 0);
const g = <T extends TreeItem<T>>(n: Node<T> | null) => (n ? n.maxGap : -1);

let gapOf: GapFn<any> = () => 0;

function fix<T extends TreeItem<T>>(n: Node<T>): void {
  n.height = Math.max(h(n.left), h(n.right)) + 1;
  n.maxGap = Math.max(gapOf(n.item), g(n.left), g(n.right));
}

function rotateRight<T extends TreeItem<T>>(n: Node<T>): Node<T> {
  const l = n.left!;
  n.left = l.right;
  l.right = n;
  fix(n);
  fix(l);
  return l;
}

function rotateLeft<T extends TreeItem<T>>(n: Node<T>): Node<T> {
  const r = n.right!;
  n.right = r.left;
  r.left = n;
  fix(n);
  fix(r);
  return r;
}

function balance<T extends TreeItem<T>>(n: Node<T>): Node<T> {
  fix(n);
  const bf = h(n.left) - h(n.right);
  if (bf > 1) {
    if (h(n.left!.left) < h(n.left!.right)) n.left = rotateLeft(n.left!);
    return rotateRight(n);
  }
  if (bf < -1) {
    if (h(n.right!.right) < h(n.right!.left)) n.right = rotateRight(n.right!);
    return rotateLeft(n);
  }
  return n;
}

export class VmaTree<T extends TreeItem<T>> {
  constructor(private readonly gap: GapFn<T>) {}
  private root: Node<T> | null = null;
  private _size = 0;
  private _first: T | null = null;
  private _last: T | null = null;

  get size(): number {
    return this._size;
  }

  first(): T | null {
    return this._first;
  }

  last(): T | null {
    return this._last;
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

  /** Insert a VMA that overlaps none of the others. */
  insert(item: T): void {
    const before = this.floor(item.start);
    const after = before ? before.next : this._first;
    item.prev = before;
    item.next = after;
    if (before) before.next = item;
    else this._first = item;
    if (after) after.prev = item;
    else this._last = item;
    gapOf = this.gap;
    this.root = this.insertAt(this.root, item);
    this._size++;
    if (after) this.update(after);
  }

  /** Recompute the gaps on the path to `item` after its range or its predecessor's changed. */
  update(item: T): void {
    gapOf = this.gap;
    this.updateAt(this.root, item);
  }

  private updateAt(n: Node<T> | null, item: T): void {
    if (!n) throw new Error(`vma_tree: updating a VMA at 0x${item.start.toString(16)} that is not in the tree`);
    if (item.start < n.item.start) this.updateAt(n.left, item);
    else if (item.start > n.item.start) this.updateAt(n.right, item);
    fix(n);
  }

  /** The VMA at or after which the highest gap of at least `len` bytes ends, among VMAs starting at or below `maxStart`. */
  rightmostGap(maxStart: number, len: number): T | null {
    gapOf = this.gap;
    return this.searchRight(this.root, maxStart, len);
  }

  private searchRight(n: Node<T> | null, maxStart: number, len: number): T | null {
    if (!n || n.maxGap < len) return null;
    if (n.item.start > maxStart) return this.searchRight(n.left, maxStart, len);
    const r = this.searchRight(n.right, maxStart, len);
    if (r) return r;
    if (gapOf(n.item) >= len) return n.item;
    return this.searchRight(n.left, maxStart, len);
  }

  private insertAt(n: Node<T> | null, item: T): Node<T> {
    if (!n) return new Node(item);
    if (item.start < n.item.start) n.left = this.insertAt(n.left, item);
    else n.right = this.insertAt(n.right, item);
    return balance(n);
  }

  /** Erase a VMA that is in the tree (found by its current vm_start). */
  erase(item: T): void {
    gapOf = this.gap;
    this.root = this.eraseAt(this.root, item);
    const after = item.next;
    if (item.prev) item.prev.next = item.next;
    else this._first = item.next;
    if (item.next) item.next.prev = item.prev;
    else this._last = item.prev;
    item.prev = item.next = null;
    this._size--;
    if (after) this.update(after);
  }

  private eraseAt(n: Node<T> | null, item: T): Node<T> | null {
    if (!n) throw new Error(`vma_tree: erasing a VMA at 0x${item.start.toString(16)} that is not in the tree`);
    if (item.start < n.item.start) n.left = this.eraseAt(n.left, item);
    else if (item.start > n.item.start) n.right = this.eraseAt(n.right, item);
    else {
      if (n.item !== item) throw new Error("vma_tree: two VMAs with the same vm_start");
      if (!n.left) return n.right;
      if (!n.right) return n.left;
      let m = n.right;
      while (m.left) m = m.left;
      n.item = m.item;
      n.right = this.eraseMin(n.right);
    }
    return balance(n);
  }

  private eraseMin(n: Node<T>): Node<T> | null {
    if (!n.left) return n.right;
    n.left = this.eraseMin(n.left);
    return balance(n);
  }

  /** In-order iteration (follows the list, so it is safe to read while not mutating). */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let v = this._first; v; v = v.next) yield v;
  }

  toArray(): T[] {
    return [...this];
  }
}
