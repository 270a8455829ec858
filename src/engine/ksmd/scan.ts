/**
 * ksmd's scan (mm/ksm.c ksm_do_scan(), scan_get_next_rmap_item(), get_next_rmap_item(),
 * remove_trailing_rmap_items(), should_skip_rmap_item()): the cursor walks the mm slots in list
 * order, each mm's VM_MERGEABLE VMAs, and their present anonymous pages, one rmap_item per page.
 * @module
 */
import { VM_MERGEABLE_LO } from "../flags.ts";
import type { Mm } from "../mm.ts";
import type { Page } from "../page.ts";
import { PAGE_SIZE } from "../uapi.ts";
import type { KsmCtx, MmSlot, RmapItem } from "./state.ts";
import { removeRmapItemFromTree } from "./trees.ts";
import { cmpAndMergePage } from "./merge.ts";

/** What the scan needs besides the shared state. */
export interface ScanEnv {
  /** ksm_test_exit(): the mm is exiting (its slot waits for ksmd). */
  exiting(mm: Mm): boolean;
  /** The slot left ksmd's list (MMF_VM_MERGEABLE cleared). */
  dropped(slot: MmSlot): void;
  /** Sorted present vpns of an mm, valid during one batch (the page-table walk). */
  vpns(mm: Mm): number[];
}

/** free_rmap_item(). */
function freeRmapItem(k: KsmCtx, item: RmapItem): void {
  removeRmapItemFromTree(k, item);
  k.c.rmapItems--;
  k.mmKsm(item.mm).rmapItems--;
}

/** The link the cursor stands on: the item it points at. */
function at(slot: MmSlot, prev: RmapItem | null): RmapItem | null {
  return prev ? prev.next : slot.head;
}

function setAt(slot: MmSlot, prev: RmapItem | null, item: RmapItem | null): void {
  if (prev) prev.next = item;
  else slot.head = item;
}

/**
 * get_next_rmap_item(): the item for `addr`, freeing items of addresses the cursor has passed
 * (their pages are gone), or a new zeroed one (ksm_rmap_items++, mm->ksm_rmap_items++).
 */
function getNextRmapItem(k: KsmCtx, slot: MmSlot, addr: number): RmapItem {
  const prev = k.cursor.prev;
  for (let it = at(slot, prev); it; it = at(slot, prev)) {
    if (it.address === addr) return it;
    if (it.address > addr) break;
    setAt(slot, prev, it.next);
    freeRmapItem(k, it);
  }
  const item: RmapItem = { mm: slot.mm, address: addr, oldchecksum: 0, state: "none", seqnr: 0, head: null,
    age: 0, remainingSkips: 0, next: at(slot, prev) };
  setAt(slot, prev, item);
  k.c.rmapItems++;
  k.mmKsm(slot.mm).rmapItems++;
  return item;
}

/** remove_trailing_rmap_items(): free every item from the cursor on. */
function removeTrailingRmapItems(k: KsmCtx, slot: MmSlot, prev: RmapItem | null): void {
  let it = at(slot, prev);
  setAt(slot, prev, null);
  while (it) {
    const next = it.next;
    freeRmapItem(k, it);
    it = next;
  }
}

/** Free all of a slot's items (unmerge_and_remove_all_rmap_items()). */
export function removeAllRmapItems(k: KsmCtx, slot: MmSlot): void {
  removeTrailingRmapItems(k, slot, null);
}

/** skip_age() (6.7+). */
function skipAge(age: number): number {
  if (age <= 3) return 1;
  if (age <= 5) return 2;
  if (age <= 8) return 4;
  return 8;
}

/**
 * should_skip_rmap_item() (smart scan, 5e924ff54d08, 6.7+): a page that has been examined three
 * times without merging is skipped on 1, 2, 4, then 8 of every following scans. KSM pages are never
 * skipped. A skip takes the item out of its tree and is counted in pages_skipped.
 */
function shouldSkipRmapItem(k: KsmCtx, page: Page, item: RmapItem): boolean {
  if (!k.kernel.profile.ksmSmartScan || !k.t.smart_scan) return false;
  if (page.ksm) return false;
  const age = item.age;
  if (age !== 255) item.age++;
  if (age < 3) return false;
  if (!item.remainingSkips) {
    item.remainingSkips = skipAge(age);
    return false;
  }
  k.c.pagesSkipped++;
  item.remainingSkips--;
  removeRmapItemFromTree(k, item);
  return true;
}

/** First index in sorted `a` with a[i] >= x. */
function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * scan_get_next_rmap_item(): the next page to examine, or null at the end of a full scan. At the
 * start of a scan the unstable tree is flushed. An mm with no VM_MERGEABLE VMA left (or exiting)
 * loses its slot, and (6.4-6.18.2) MMF_VM_MERGE_ANY with it (VersionProfile.ksmdKeepsMergeAny).
 */
export function scanGetNextRmapItem(k: KsmCtx, env: ScanEnv): { page: Page; item: RmapItem } | null {
  if (k.slots.length === 0) return null;
  const cur = k.cursor;
  if (cur.slot === null) {
    k.unstable.clear();
    cur.slot = k.slots[0]!;
    cur.address = 0;
    cur.prev = null;
  }
  for (;;) {
    const slot = cur.slot!;
    const mm = slot.mm;
    if (!env.exiting(mm)) {
      const vpns = env.vpns(mm);
      for (let v = mm.tree.findVma(cur.address); v; v = v.next) {
        if (!(v.flagsLo & VM_MERGEABLE_LO)) continue;
        if (cur.address < v.start) cur.address = v.start;
        if (!v.anonVma) cur.address = v.end;
        // The page-table walk: jump to the next present PTE (ksm_next_page_pmd_entry() in 6.18; same result).
        let i = lowerBound(vpns, cur.address / PAGE_SIZE);
        while (cur.address < v.end) {
          const vpn = vpns[i];
          if (vpn === undefined || vpn * PAGE_SIZE >= v.end) {
            cur.address = v.end;
            break;
          }
          cur.address = vpn * PAGE_SIZE;
          i++;
          const page = mm.ptes.get(vpn);
          if (page && page.anon && !page.zero) {
            const item = getNextRmapItem(k, slot, cur.address);
            cur.prev = item;
            if (shouldSkipRmapItem(k, page, item)) {
              cur.address += PAGE_SIZE;
              continue;
            }
            cur.address += PAGE_SIZE;
            return { page, item };
          }
          cur.address += PAGE_SIZE;
        }
      }
    } else {
      cur.address = 0;
      cur.prev = null;
    }
    removeTrailingRmapItems(k, slot, cur.prev);
    const idx = k.slots.indexOf(slot);
    const next = k.slots[idx + 1] ?? null;
    if (cur.address === 0) {
      k.slots.splice(idx, 1);
      env.dropped(slot);
    }
    cur.slot = next;
    if (next) {
      cur.address = 0;
      cur.prev = null;
      continue;
    }
    k.seqnr++;
    return null;
  }
}

/**
 * ksm_do_scan(): up to `n` pages; the end of a full scan always ends the batch. pages_scanned
 * (6.6+): 6.10+ counts each page (730cdc2c72c6); 6.6-6.9 added `scan_npages - npages` after the
 * loop, which is n+1 for a batch that ran to its end (the unsigned counter wrapped) and nothing
 * for a batch cut short by the end of a scan.
 * @returns the number of pages examined.
 */
export function ksmDoScan(k: KsmCtx, env: ScanEnv, n: number): number {
  const perPage = k.kernel.profile.ksmPagesScanned === "per-page";
  let done = 0;
  while (done < n) {
    const next = scanGetNextRmapItem(k, env);
    if (!next) return done;
    cmpAndMergePage(k, next.page, next.item, env.exiting);
    done++;
    if (perPage) k.c.pagesScanned++;
  }
  if (k.kernel.profile.ksmPagesScanned === "batch") k.c.pagesScanned += (n + 1) >>> 0;
  return done;
}
