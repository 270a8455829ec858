/**
 * What ksmd does with one page (mm/ksm.c cmp_and_merge_page() and the try_to_merge_*() helpers,
 * replace_page(), break_cow()). Merging never trusts the checksum: contents are compared again
 * (pages_identical()) before a PTE is switched to the KSM page.
 * @module
 */
import { VM_MERGEABLE_LO } from "../flags.ts";
import type { Mm } from "../mm.ts";
import type { Page } from "../page.ts";
import type { Vma } from "../vma.ts";
import { hexAddr } from "../trace.ts";
import { PAGE_SIZE } from "../uapi.ts";
import { ZERO_CONTENT } from "../page.ts";
import { calcChecksum, type KsmCtx, type RmapItem } from "./state.ts";
import {
  isSharingCandidate, removeRmapItemFromTree, stableTreeAppend, stableTreeInsert, stableTreeSearch,
  unstableTreeSearchInsert,
} from "./trees.ts";

/** zero_checksum: calc_checksum(ZERO_PAGE(0)), computed at ksm_init(). */
export const ZERO_CHECKSUM = calcChecksum(ZERO_CONTENT);

/** The marker for "merge with the shared zero page" (ZERO_PAGE(addr) as kpage). */
const ZERO_KPAGE = "zero";

/** find_mergeable_vma(): the VMA still has VM_MERGEABLE and an anon_vma, and the mm is not exiting. */
export function findMergeableVma(k: KsmCtx, mm: Mm, addr: number, exiting: (mm: Mm) => boolean): Vma | null {
  if (exiting(mm)) return null;
  const v = mm.tree.lookup(addr);
  if (!v || !(v.flagsLo & VM_MERGEABLE_LO) || !v.anonVma) return null;
  return v;
}

/** get_mergeable_page(): the anonymous page an item's address maps now, if its VMA is still mergeable. */
export function getMergeablePage(k: KsmCtx, item: RmapItem, exiting: (mm: Mm) => boolean): Page | null {
  if (!findMergeableVma(k, item.mm, item.address, exiting)) return null;
  const p = item.mm.ptes.get(item.address / PAGE_SIZE);
  return p && p.anon && !p.zero ? p : null;
}

/**
 * try_to_merge_one_page(): write-protect `page` and make it a KSM page (kpage null), or switch the
 * PTE to `kpage` (replace_page()) when the contents are identical. With the zero page, 6.6+
 * marks the PTE dirty and counts it in ksm_zero_pages (ksm_map_zero_page(), 79271476b336/6080d19f0704).
 * Not modelled: write_protect_page() failing on extra references (GUP, O_DIRECT).
 */
function tryToMergeOnePage(k: KsmCtx, mm: Mm, addr: number, page: Page,
  kpage: Page | null | typeof ZERO_KPAGE): boolean {
  if (page === kpage) return true;
  if (!page.anon) return false;
  const vpn = addr / PAGE_SIZE;
  if (kpage === null) {
    page.ksm = true; // folio_set_stable_node(folio, NULL): stable_tree_insert() fills it in
    page.stableNode = undefined;
    return true;
  }
  if (kpage === ZERO_KPAGE) {
    if (page.content !== ZERO_CONTENT) return false;
    const counted = k.kernel.profile.ksmZeroPages;
    const owner = k.mmKsm(mm);
    k.kernel.pages.map(mm.ptes, vpn, k.kernel.pages.zeroPte(counted, owner));
    if (counted) {
      k.c.zeroPages++;
      owner.zeroPages++;
    }
    return true;
  }
  if (page.content !== kpage.content) return false; // pages_identical()
  k.kernel.pages.map(mm.ptes, vpn, kpage);
  return true;
}

/**
 * try_to_merge_with_ksm_page(): merge the item's page into kpage (or make it KSM),
 * then drop the item from its tree.
 */
function tryToMergeWithKsmPage(k: KsmCtx, item: RmapItem, page: Page, kpage: Page | null,
  exiting: (mm: Mm) => boolean): boolean {
  if (!findMergeableVma(k, item.mm, item.address, exiting)) return false;
  if (!tryToMergeOnePage(k, item.mm, item.address, page, kpage)) return false;
  removeRmapItemFromTree(k, item);
  return true;
}

/** break_cow() → break_ksm(): give the item's address a private copy again. */
function breakCow(k: KsmCtx, item: RmapItem, exiting: (mm: Mm) => boolean): void {
  if (!findMergeableVma(k, item.mm, item.address, exiting)) return;
  const vpn = item.address / PAGE_SIZE;
  const p = item.mm.ptes.get(vpn);
  if (p && p.ksm) k.kernel.pages.cowBreak(item.mm, vpn, p);
}

/** try_to_merge_two_pages(): `page` becomes the KSM page, then the tree item's page is replaced by it. */
function tryToMergeTwoPages(k: KsmCtx, item: RmapItem, page: Page, treeItem: RmapItem, treePage: Page,
  exiting: (mm: Mm) => boolean): Page | null {
  if (!tryToMergeWithKsmPage(k, item, page, null, exiting)) return null;
  if (tryToMergeWithKsmPage(k, treeItem, treePage, page, exiting)) return page;
  breakCow(k, item, exiting);
  return null;
}

/** try_to_merge_with_zero_page() (6.11; inline before): use_zero_pages and the zero checksum. 0 = done. */
function tryToMergeWithZeroPage(k: KsmCtx, item: RmapItem, page: Page, exiting: (mm: Mm) => boolean): boolean {
  if (!k.t.use_zero_pages || item.oldchecksum !== ZERO_CHECKSUM) return false;
  if (!findMergeableVma(k, item.mm, item.address, exiting)) return true; // the VMA went away: nothing to do
  const ok = tryToMergeOnePage(k, item.mm, item.address, page, ZERO_KPAGE);
  // Before 6.11 this code was inline in cmp_and_merge_page(): the trace names the function that exists.
  if (ok && k.tracing) {
    const fn = k.kernel.profile.ksmChecksumFirst ? "try_to_merge_with_zero_page" : "cmp_and_merge_page";
    const counted = k.kernel.profile.ksmZeroPages ? "; ksm_zero_pages counts it now" : "";
    k.event(fn, `page ${hexAddr(item.address)} (pid ${item.mm.pid}) is all zeroes: ` +
      `mapped the shared zero page instead ` +
      `(use_zero_pages=1${counted})`, item.address, item.address + PAGE_SIZE);
  }
  return ok;
}

/** The checksum test: a page can only pair on a visit where its checksum equals the previous visit's. */
function checksumChanged(item: RmapItem, page: Page): boolean {
  const cs = calcChecksum(page.content);
  if (item.oldchecksum !== cs) {
    item.oldchecksum = cs;
    return true;
  }
  return false;
}

/**
 * cmp_and_merge_page(): one page of one rmap_item. 6.11+ (d58a361b0350, "don't waste time
 * searching stable tree for fast changing page"): a non-KSM page must pass the checksum test and
 * the zero-page step before the stable tree is searched. 6.1-6.10: the stable tree is searched
 * first, so a page identical to an existing KSM page merges on its first visit.
 */
export function cmpAndMergePage(k: KsmCtx, page: Page, item: RmapItem, exiting: (mm: Mm) => boolean): void {
  const checksumFirst = k.kernel.profile.ksmChecksumFirst;
  const stableNode = page.ksm ? ((page.stableNode as RmapItem["head"]) ?? null) : null;
  if (stableNode) {
    if (item.head === stableNode) return; // steady state: already mapped and counted
    // KSM fork: may go over max_page_sharing (max_page_sharing_bypass), silently.
    void isSharingCandidate(k, stableNode);
  } else if (checksumFirst) {
    removeRmapItemFromTree(k, item);
    if (checksumChanged(item, page)) return;
    if (tryToMergeWithZeroPage(k, item, page, exiting)) return;
  }
  const kpage = stableTreeSearch(k, page);
  if (kpage === page && item.head === stableNode) return;
  removeRmapItemFromTree(k, item);
  if (kpage) {
    if (tryToMergeWithKsmPage(k, item, page, kpage, exiting)) {
      stableTreeAppend(k, item, kpage.stableNode as NonNullable<RmapItem["head"]>);
      k.tracing && k.event("try_to_merge_with_ksm_page", kpage === page
        ? `page ${hexAddr(item.address)} (pid ${item.mm.pid}) already maps KSM page #${kpage.id} ` +
          `(inherited through fork): added to its stable node`
        : `page ${hexAddr(item.address)} (pid ${item.mm.pid}) merged into KSM page #${kpage.id} (stable tree hit)`,
        item.address, item.address + PAGE_SIZE);
    }
    return;
  }
  if (!checksumFirst) {
    if (checksumChanged(item, page)) return;
    if (tryToMergeWithZeroPage(k, item, page, exiting)) return;
  }
  const getPage = (it: RmapItem) => getMergeablePage(k, it, exiting);
  const hit = unstableTreeSearchInsert(k, item, page, getPage);
  if (!hit) return;
  const kp = tryToMergeTwoPages(k, item, page, hit.item, hit.page, exiting);
  if (!kp) return;
  const node = stableTreeInsert(k, kp);
  stableTreeAppend(k, hit.item, node);
  stableTreeAppend(k, item, node);
  k.tracing && k.event("try_to_merge_two_pages",
    `page ${hexAddr(hit.item.address)} (pid ${hit.item.mm.pid}) merged into KSM page #${kp.id} ` +
    `with page ${hexAddr(item.address)} (pid ${item.mm.pid}): a new stable node`,
    item.address, item.address + PAGE_SIZE);
}
