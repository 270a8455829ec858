/**
 * fork() (kernel/fork.c dup_mmap()) and what the child inherits: every VMA but VM_DONTCOPY ones,
 * each faulted VMA linked to a fresh anon_vma *and* its parent's (a non-singular
 * anon_vma_chain: a "fork child" that 6.16+ calls vma_had_uncowed_parents()), pages shared
 * copy-on-write, and MMF_VM_MERGE_ANY (ksm_fork() ≤6.6, MMF_INIT_MASK 6.7+).
 * @module
 */
import { VM_LOCKED_MASK, VM_WIPEONFORK, VM_DONTCOPY, clearFlags } from "./flags.ts";
import type { Mm } from "./mm.ts";
import { ksmEnter } from "./ksm.ts";
import { copyGuards } from "./guard_markers.ts";
import { PAGE_SIZE } from "./uapi.ts";

/** dup_mmap(): copy `parent` into the empty `child`. */
export function dupMmap(parent: Mm, child: Mm): void {
  const k = parent.kernel;
  child.start_brk = parent.start_brk;
  child.brk = parent.brk;
  child.start_stack = parent.start_stack;
  child.mmap_base = parent.mmap_base;
  child.def_flags = parent.def_flags;
  child.mergeAny = parent.mergeAny;
  for (const v of parent.tree) {
    if (v.flags & VM_DONTCOPY) continue;
    const c = child.newVma(v.start, v.end, clearFlags(v.flags, VM_LOCKED_MASK), v.pgoff, v.file);
    c.anonName = v.anonName;
    c.special = v.special;
    c.hasCloseHook = v.hasCloseHook;
    if (v.flags & VM_WIPEONFORK) {
      // A clean slate in the child: no anon_vma, no pages, until it faults.
      child.insert(c, child.tree.last()); // dup_mmap() appends in order
      continue;
    }
    if (v.anonVma) {
      // anon_vma_fork(): a new anon_vma for the child, chained to the parent's.
      c.anonVma = child.newAnonVma();
      c.forkChild = true;
    }
    child.insert(c, child.tree.last()); // dup_mmap() appends in order
    copyGuards(parent, child, v.start, v.end);
    // copy_page_range(): the child maps the same pages; private ones become copy-on-write.
    const first = v.start / PAGE_SIZE;
    const last = v.end / PAGE_SIZE;
    const visit = (vpn: number) => {
      const page = parent.ptes.get(vpn);
      if (page) k.pages.map(child.ptes, vpn, k.pages.forkPte(page, k.ksmHooks.mmKsm(child)));
    };
    if (last - first > parent.ptes.size) {
      for (const vpn of parent.ptes.keys()) if (vpn >= first && vpn < last) visit(vpn);
    } else for (let vpn = first; vpn < last; vpn++) visit(vpn);
  }
  // ksm_fork(): the child joins ksmd's list if the parent is on it; dup_mm() copied the KSM counters.
  k.ksmHooks.fork(parent, child);
  if (parent.ksmRegistered) ksmEnter(child);
}
