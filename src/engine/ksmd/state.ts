/**
 * ksmd's data (mm/ksm.c): mm slots, rmap items, stable nodes and chains, the scan cursor, the
 * tunables and the global counters. Names follow the kernel's structs (struct ksm_mm_slot,
 * struct ksm_rmap_item, struct ksm_stable_node, struct ksm_scan).
 * @module
 */
import type { Mm } from "../mm.ts";
import type { Page } from "../page.ts";

/** struct ksm_rmap_item: one scanned virtual page of one mm. */
export interface RmapItem {
  readonly mm: Mm;
  /** Page-aligned virtual address (the kernel keeps flags in its low bits; here they are fields). */
  readonly address: number;
  /** oldchecksum: calc_checksum() at the previous visit (0 for a new item, as kmem_cache_zalloc() leaves it). */
  oldchecksum: number;
  /** UNSTABLE_FLAG / STABLE_FLAG, or neither ("volatile"). */
  state: "none" | "unstable" | "stable";
  /** Low 8 bits of ksm_scan.seqnr when inserted in the unstable tree (SEQNR_MASK). */
  seqnr: number;
  /** The stable node this item hangs off (STABLE). */
  head: StableNode | null;
  /** Smart scan (6.7+): rmap_item->age and ->remaining_skips. */
  age: number;
  remainingSkips: number;
  /** Next item in the slot's address-sorted singly linked rmap_list. */
  next: RmapItem | null;
}

/** struct ksm_stable_node that is a KSM page (a plain node, or a "dup" under a chain). */
export interface StableNode {
  readonly kind: "node";
  /** Sequence number, for traces ("KSM page #3" is the pfn; this is the node). */
  readonly id: number;
  /** The write-protected KSM page (kpfn). */
  readonly page: Page;
  /** hlist of rmap_items; rmap_hlist_len is its length. items[0] is the hlist tail (the "shared" one). */
  readonly items: RmapItem[];
  /** The chain this node is a dup of (is_stable_node_dup()), or null when it sits in the tree itself. */
  chain: StableChain | null;
}

/** A stable_node chain (rmap_hlist_len == STABLE_NODE_CHAIN): KSM pages with equal contents. */
export interface StableChain {
  readonly kind: "chain";
  readonly content: string;
  /** hlist of dups; hlist_add_head() order (newest first). */
  readonly dups: StableNode[];
  /** chain_prune_time in virtual milliseconds. */
  pruneTime: number;
}

/** struct ksm_mm_slot. */
export interface MmSlot {
  readonly mm: Mm;
  /** rmap_list head. */
  head: RmapItem | null;
}

/** Per-mm KSM counters (mm->ksm_merging_pages, ->ksm_rmap_items, ->ksm_zero_pages). */
export interface MmKsm {
  merging: number;
  rmapItems: number;
  zeroPages: number;
}

/** The sysfs tunables (/sys/kernel/mm/ksm/). */
export interface KsmTunables {
  run: number;
  pages_to_scan: number;
  sleep_millisecs: number;
  merge_across_nodes: number;
  max_page_sharing: number;
  stable_node_chains_prune_millisecs: number;
  use_zero_pages: boolean;
  smart_scan: boolean;
  advisor_mode: "none" | "scan-time";
  advisor_max_cpu: number;
  advisor_min_pages_to_scan: number;
  advisor_max_pages_to_scan: number;
  advisor_target_scan_time: number;
}

/** Boot defaults (mm/ksm.c static initialisers). */
export function defaultTunables(): KsmTunables {
  return {
    run: 0,
    pages_to_scan: 100,
    sleep_millisecs: 20,
    merge_across_nodes: 1,
    max_page_sharing: 256,
    stable_node_chains_prune_millisecs: 2000,
    use_zero_pages: false,
    smart_scan: true,
    advisor_mode: "none",
    advisor_max_cpu: 70,
    advisor_min_pages_to_scan: 500,
    advisor_max_pages_to_scan: 30000,
    advisor_target_scan_time: 200,
  };
}

/** The global counters (ksm_pages_shared, ...). */
export interface KsmCounters {
  pagesShared: number;
  pagesSharing: number;
  pagesUnshared: number;
  rmapItems: number;
  stableNodeChains: number;
  stableNodeDups: number;
  pagesScanned: number;
  pagesSkipped: number;
  zeroPages: number;
}

export function zeroCounters(): KsmCounters {
  return { pagesShared: 0, pagesSharing: 0, pagesUnshared: 0, rmapItems: 0,
    stableNodeChains: 0, stableNodeDups: 0, pagesScanned: 0, pagesSkipped: 0, zeroPages: 0 };
}

/** sizeof(struct ksm_rmap_item) on 64-bit (Documentation/admin-guide/mm/ksm.rst). */
export const RMAP_ITEM_SIZE = 64;

/**
 * Checksum of page contents: calc_checksum() is xxhash(page, PAGE_SIZE, 0) truncated to 32 bits;
 * here FNV-1a of the content key.
 */
export function calcChecksum(content: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < content.length; i++) {
    h ^= content.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** What the ksmd modules share: the kernel's file-scope statics of mm/ksm.c. */
export interface KsmCtx {
  readonly kernel: import("../host.ts").Host<import("../mm.ts").Mm>;
  readonly t: KsmTunables;
  readonly c: KsmCounters;
  /** ksm_scan.seqnr (full_scans). */
  seqnr: number;
  /** Virtual time in milliseconds (jiffies). */
  now: number;
  /** root_stable_tree: content → plain node or chain (an rbtree ordered by memcmp_pages()). */
  readonly stable: Map<string, StableNode | StableChain>;
  /** root_unstable_tree: content (at insertion) → item; flushed at the start of every full scan. */
  readonly unstable: Map<string, RmapItem>;
  /** ksm_mm_head's list, in order. */
  readonly slots: MmSlot[];
  /** ksm_scan.mm_slot (null: ksm_mm_head), .address, and .rmap_list (the item before the cursor; null: slot head). */
  cursor: { slot: MmSlot | null; address: number; prev: RmapItem | null };
  /** Per-mm counters. */
  mmKsm(mm: import("../mm.ts").Mm): MmKsm;
  /** Next stable node id. */
  nextNodeId: number;
  /** Is a ksmd event recorded now (tracing on, the step's cap not reached)? Guard event() with it. */
  readonly tracing: boolean;
  /** Record a trace event; callers format `text` only when `tracing` (`k.tracing && k.event(...)`). */
  event(fn: string, text: string, start?: number, end?: number): void;
}
