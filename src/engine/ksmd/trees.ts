/**
 * The stable and unstable trees (mm/ksm.c): stable_tree_search(), stable_tree_insert(),
 * stable_tree_append(), chain()/chain_prune() with stable_node_dup(), ksm_get_folio(),
 * remove_node_from_stable_tree(), remove_rmap_item_from_tree(), unstable_tree_search_insert().
 * The kernel's rbtrees are ordered by memcmp_pages(); a Map keyed by page contents finds the same
 * node. Not modelled: stale nodes met on the rbtree *path* to another content are pruned in the
 * kernel as a side effect of the walk; here only the node with equal contents is checked.
 * Rules hold for 6.1-6.18 (merge_across_nodes=1: one tree, as on a non-NUMA machine).
 * @module
 */
import type { Page } from "../page.ts";
import { hexAddr } from "../trace.ts";
import type { KsmCtx, RmapItem, StableChain, StableNode } from "./state.ts";

/** __is_page_sharing_candidate(): at least one mapping, and room for `offset` more below max_page_sharing. */
export function isSharingCandidate(k: KsmCtx, node: StableNode, offset = 0): boolean {
  return node.items.length > 0 && node.items.length + offset < k.t.max_page_sharing;
}

/**
 * ksm_get_folio(): the "keyhole" check that the node's KSM page still exists. A KSM page is freed
 * when its last PTE goes (every mapper wrote to it or unmapped it); its node is then stale and is
 * removed from the tree here, which is when the counters of its rmap_items drop.
 */
export function ksmGetFolio(k: KsmCtx, node: StableNode): Page | null {
  if (node.page.mapcount > 0 && node.page.stableNode === node) return node.page;
  removeNodeFromStableTree(k, node);
  return null;
}

/** stable_node_dup_del() / rb_erase(): unlink a node from its chain or from the tree. */
function unlinkNode(k: KsmCtx, node: StableNode): void {
  if (node.chain) {
    const dups = node.chain.dups;
    const i = dups.indexOf(node);
    if (i >= 0) dups.splice(i, 1);
    k.c.stableNodeDups--;
    node.chain = null;
  } else if (k.stable.get(node.page.content) === node) {
    k.stable.delete(node.page.content);
  }
}

/**
 * remove_node_from_stable_tree(): every rmap_item leaves the node
 * (pages_shared/pages_sharing drop), the node is freed.
 */
export function removeNodeFromStableTree(k: KsmCtx, node: StableNode): void {
  const n = node.items.length;
  for (let i = n - 1; i >= 0; i--) {
    const item = node.items[i]!;
    // The hlist tail (first appended) was counted in pages_shared, the others in pages_sharing.
    if (i > 0) k.c.pagesSharing--;
    else k.c.pagesShared--;
    k.mmKsm(item.mm).merging--;
    item.state = "none";
    item.head = null;
  }
  node.items.length = 0;
  unlinkNode(k, node);
  if (node.page.stableNode === node) node.page.stableNode = undefined;
  k.tracing && k.event("remove_node_from_stable_tree",
    `KSM page #${node.page.id} is gone (all its mappings were written to or unmapped): ` +
    `its node and ${n} rmap_item${n === 1 ? "" : "s"} leave the stable tree`);
}

/** remove_rmap_item_from_tree(): take an item out of whichever tree holds it, fixing the counters. */
export function removeRmapItemFromTree(k: KsmCtx, item: RmapItem): void {
  if (item.state === "stable") {
    const node = item.head!;
    if (!ksmGetFolio(k, node)) return; // remove_node_from_stable_tree() already did it
    const i = node.items.indexOf(item);
    node.items.splice(i, 1);
    // hlist_empty() after the delete: this was the last mapping counted, as pages_shared.
    if (node.items.length > 0) k.c.pagesSharing--;
    else k.c.pagesShared--;
    k.mmKsm(item.mm).merging--;
    item.head = null;
    item.state = "none";
  } else if (item.state === "unstable") {
    // Inserted in this scan: rb_erase(); from the previous scan the tree was already reset.
    if (((k.seqnr - item.seqnr) & 0xff) === 0 &&
      k.unstable.get(keyOf(k, item)) === item) k.unstable.delete(keyOf(k, item));
    k.c.pagesUnshared--;
    item.state = "none";
  }
}

/** The content key an unstable item was inserted under. */
const unstableKeys = new WeakMap<RmapItem, string>();
function keyOf(_k: KsmCtx, item: RmapItem): string {
  return unstableKeys.get(item) ?? "";
}

/** free_stable_node_chain(). */
function freeChain(k: KsmCtx, chain: StableChain): void {
  if (k.stable.get(chain.content) === chain) k.stable.delete(chain.content);
  k.c.stableNodeChains--;
}

/**
 * stable_node_dup() (chain() / chain_prune()): pick the dup to merge into: the fullest one that
 * is still a sharing candidate. Pruning (visiting every dup, freeing stale ones) happens at most
 * every stable_node_chains_prune_millisecs. A chain left with one dup collapses back to a plain
 * node; a chain with none is freed.
 */
function stableNodeDup(k: KsmCtx, chain: StableChain, prune: boolean): StableNode | null {
  if (prune && k.now - chain.pruneTime >= k.t.stable_node_chains_prune_millisecs) chain.pruneTime = k.now;
  else prune = false;
  let found: StableNode | null = null;
  for (const dup of [...chain.dups]) {
    if (!ksmGetFolio(k, dup)) continue;
    if (!found || (isSharingCandidate(k, dup) &&
      (!isSharingCandidate(k, found) || dup.items.length > found.items.length))) {
      found = dup;
      if (!prune && isSharingCandidate(k, found)) break;
    }
  }
  if (!found) {
    freeChain(k, chain);
    return null;
  }
  if (chain.dups.length === 1) {
    // rb_replace_node(): the single remaining dup takes the chain's place in the tree.
    k.stable.set(chain.content, found);
    found.chain = null;
    chain.dups.length = 0;
    k.c.stableNodeChains--;
    k.c.stableNodeDups--;
  } else if (chain.dups[0] !== found && isSharingCandidate(k, found, 1)) {
    chain.dups.splice(chain.dups.indexOf(found), 1);
    chain.dups.unshift(found);
  }
  return found;
}

/** Resolve the tree entry for `content` to the node to use (chain resolved), dropping stale nodes. */
function lookup(k: KsmCtx, content: string, prune: boolean): { node: StableNode; chain: StableChain | null } | null {
  const e = k.stable.get(content);
  if (!e) return null;
  if (e.kind === "node") return ksmGetFolio(k, e) ? { node: e, chain: null } : null;
  const dup = stableNodeDup(k, e, prune);
  if (!dup) return null;
  return { node: dup, chain: dup.chain };
}

/**
 * stable_tree_search(): a KSM page with the same contents that can take one more mapping.
 * A page that already is a KSM page (forked) finds itself. All dups full: null, so the page
 * waits for a partner in the unstable tree and becomes a new dup.
 */
export function stableTreeSearch(k: KsmCtx, page: Page): Page | null {
  if (page.ksm && page.stableNode) return page; // "ksm page forked"
  const hit = lookup(k, page.content, true);
  if (!hit) return null;
  if (!isSharingCandidate(k, hit.node)) return null;
  return hit.node.page;
}

/**
 * stable_tree_insert(): a new node for KSM page `kpage`. If a node with the same contents exists
 * (all its dups were full), it becomes a chain (alloc_stable_node_chain(), stable_node_chains++)
 * and the new node joins it as a dup (stable_node_dups++).
 */
export function stableTreeInsert(k: KsmCtx, kpage: Page): StableNode {
  const node: StableNode = { kind: "node", id: k.nextNodeId++, page: kpage, items: [], chain: null };
  const hit = lookup(k, kpage.content, false);
  if (!hit) {
    k.stable.set(kpage.content, node);
  } else {
    let chain = hit.chain;
    if (!chain) {
      chain = { kind: "chain", content: kpage.content, dups: [hit.node], pruneTime: k.now };
      hit.node.chain = chain;
      k.stable.set(kpage.content, chain);
      k.c.stableNodeChains++;
      k.c.stableNodeDups++;
    }
    chain.dups.unshift(node);
    node.chain = chain;
    k.c.stableNodeDups++;
    k.tracing && k.event("stable_tree_insert",
      `KSM page #${kpage.id} has the same contents as a full KSM page (max_page_sharing=${k.t.max_page_sharing}): ` +
      `it becomes dup #${chain.dups.length} of a stable_node chain`);
  }
  kpage.stableNode = node;
  return node;
}

/**
 * stable_tree_append(): the item now maps the node's KSM page;
 * the first counts in pages_shared, the rest in pages_sharing.
 */
export function stableTreeAppend(k: KsmCtx, item: RmapItem, node: StableNode): void {
  node.items.push(item);
  item.head = node;
  item.state = "stable";
  if (node.items.length > 1) k.c.pagesSharing++;
  else k.c.pagesShared++;
  k.mmKsm(item.mm).merging++;
}

/**
 * unstable_tree_search_insert(): an unstable item with equal contents, or insert this one
 * (pages_unshared++). A tree page that is gone aborts without inserting; the same page found
 * twice (a page forked into two mms) is not merged with itself and not inserted.
 */
export function unstableTreeSearchInsert(k: KsmCtx, item: RmapItem, page: Page,
  getPage: (it: RmapItem) => Page | null): { item: RmapItem; page: Page } | null {
  const other = k.unstable.get(page.content);
  if (other) {
    const treePage = getPage(other);
    if (!treePage) return null;
    if (treePage === page) return null;
    if (treePage.content === page.content) return { item: other, page: treePage };
    // The tree item's page changed since it was inserted (the tree is "unstable"): it stays
    // counted as unshared, and this item takes its place.
  }
  item.state = "unstable";
  item.seqnr = k.seqnr & 0xff;
  unstableKeys.set(item, page.content);
  k.unstable.set(page.content, item);
  k.c.pagesUnshared++;
  k.tracing && k.event("unstable_tree_search_insert",
    `page at ${hexAddr(item.address)} (pid ${item.mm.pid}) unchanged since the last scan: ` +
    `inserted into the unstable tree`, item.address, item.address + 4096);
  return null;
}

/**
 * remove_all_stable_nodes() (run=2, max_page_sharing, merge_across_nodes): free every node whose
 * KSM page is no longer mapped; a still-mapped one makes it fail with EBUSY.
 * @returns false when some node was busy.
 */
export function removeAllStableNodes(k: KsmCtx): boolean {
  let ok = true;
  for (const e of [...k.stable.values()]) {
    const nodes = e.kind === "chain" ? [...e.dups] : [e];
    for (const n of nodes) {
      if (n.page.mapcount > 0 && n.page.stableNode === n) {
        ok = false;
        continue;
      }
      removeNodeFromStableTree(k, n);
      n.page.ksm = false;
    }
    if (e.kind === "chain" && e.dups.length === 0) freeChain(k, e);
  }
  return ok;
}
