/**
 * Pages and their contents: enough of struct folio for faults, copy-on-write and KSM.
 * A page's `content` is a string key: pages with equal keys have byte-identical contents
 * (memcmp_pages() == 0), so ksmd can compare and checksum them.
 * @module
 */

/** The content key of a zero-filled page. */
export const ZERO_CONTENT = "0";

export interface Page {
  /** Page frame identity, for traces. */
  readonly id: number;
  /** Contents; equal keys mean identical bytes. */
  content: string;
  /** How many PTEs map this page (folio_mapcount()). */
  mapcount: number;
  /** PageAnon(): anonymous (or a private COW copy of file data). */
  anon: boolean;
  /** folio_test_ksm(): a write-protected KSM page in the stable tree. */
  ksm: boolean;
  /** The shared zero page (is_zero_pfn()); KSM may map it when use_zero_pages=1. */
  zero: boolean;
  /** A zero page that KSM placed (use_zero_pages=1): is_ksm_zero_pte(), counted in ksm_zero_pages. */
  ksmZero?: boolean;
  /** Opaque per-page KSM state (stable node), owned by ksmd. */
  stableNode?: unknown;
  /**
   * Zero-page PTEs only: the page-table entry of one mm (each KSM zero-page PTE is its own object,
   * because the "placed by KSM" mark is the PTE's dirty bit, not a property of the shared zero page).
   */
  owner?: unknown;
}

/** The pfn shown for the shared zero page (ZERO_PAGE(0)); any constant outside the allocator's range. */
export const ZERO_PFN = 0;

/** Encode a value a scenario writes into a page as its content key. */
export function contentKey(value: number | string): string {
  if (value === 0 || value === "0") return ZERO_CONTENT;
  return typeof value === "number" ? `n:${value}` : `s:${value}`;
}

/** The page allocator: hands out page frames and performs copy-on-write breaks. */
export class PageAlloc {
  private nextPfn = 1;
  /**
   * ksm_might_unmap_zero_page() (6.6+): called whenever a PTE that maps a KSM-placed zero page
   * goes away (zap, COW, unshare, replacement), so that ksm_zero_pages drops at once.
   */
  onKsmZeroUnmap: ((pte: Page) => void) | null = null;
  /** alloc_page(): a new anonymous page with `content`. */
  alloc(content: string, anon = true): Page {
    return { id: this.nextPfn++, content, mapcount: 0, anon, ksm: false, zero: false };
  }

  /** Map `page` at `vpn` of `mm`'s page tables (set_pte_at()), replacing what was there. */
  map(ptes: Map<number, Page>, vpn: number, page: Page): void {
    const old = ptes.get(vpn);
    if (old) {
      old.mapcount--;
      if (old.ksmZero && old !== page) this.onKsmZeroUnmap?.(old);
    }
    page.mapcount++;
    ptes.set(vpn, page);
  }

  /**
   * A PTE mapping the shared zero page. `ksmPlaced`: KSM's replace_page() made it, marked with
   * pte_mkdirty() so is_ksm_zero_pte() recognises it (79271476b336, 6.6+); `owner` is the mm's
   * KSM accounting record.
   */
  zeroPte(ksmPlaced: boolean, owner: unknown): Page {
    return { id: ZERO_PFN, content: "0", mapcount: 0, anon: false, ksm: false, zero: true, ksmZero: ksmPlaced, owner };
  }

  /** copy_present_pte() at fork: the child maps the same page; a zero-page PTE is copied as a PTE of the child. */
  forkPte(page: Page, childOwner: unknown): Page {
    return page.zero ? this.zeroPte(!!page.ksmZero, childOwner) : page;
  }

  /** zap_pte_range(): unmap one PTE. */
  unmap(ptes: Map<number, Page>, vpn: number): void {
    const old = ptes.get(vpn);
    if (!old) return;
    old.mapcount--;
    ptes.delete(vpn);
    if (old.ksmZero) this.onKsmZeroUnmap?.(old);
  }

  /** wp_page_copy(): give `vpn` a private copy of the page it maps (same contents). */
  cowBreak(mm: { ptes: Map<number, Page> }, vpn: number, page: Page): Page {
    const copy = this.alloc(page.content);
    this.map(mm.ptes, vpn, copy);
    return copy;
  }
}
