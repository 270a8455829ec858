/**
 * Overcommit: may a new commitment of `pages` be made? (mm/util.c __vm_enough_memory(),
 * vm_commit_limit(); security/commoncap.c cap_vm_enough_memory(); the same rules 6.1-6.18.2.)
 * The callers charge what accountable_mapping() (mm/vma.c) and its peers say: private writable
 * memory, shared anonymous memory (shmem_acct_size()), unless VM_NORESERVE.
 * @module
 */
import { fail } from "./errno.ts";
import { VM_ACCOUNT_LO, VM_NORESERVE_LO } from "./flags.ts";
import type { Overcommit } from "./host.ts";
import type { Mm } from "./mm.ts";
import { PAGE_SIZE } from "./uapi.ts";

export type { Overcommit, OvercommitMode } from "./host.ts";

/** Default machine: 16 GiB of RAM, no swap (a typical small server or VM). */
export const DEFAULT_RAM_BYTES = 16 * 2 ** 30;

/** mm/util.c init_user_reserve(): min(free / 32, 128 MiB), with free taken as all of RAM. */
const userReservePages = (o: Overcommit): number => Math.min(o.ramBytes / 32, 128 * 2 ** 20) / PAGE_SIZE;

/**
 * vm_committed_as as the engine's processes make it: every VM_ACCOUNT VMA, and each shared
 * anonymous (shmem) object mapped without VM_NORESERVE, counted once. The machine's own
 * processes are not modelled, so this is what the scenario committed.
 */
export function committedPages(mms: Iterable<Mm>): number {
  let pages = 0;
  const shmem = new Set<unknown>();
  for (const mm of mms) {
    for (const v of mm.tree) {
      if (v.flagsLo & VM_ACCOUNT_LO) pages += (v.end - v.start) / PAGE_SIZE;
      else if (v.file?.inode.kind === "shmem-anon" && !(v.flagsLo & VM_NORESERVE_LO) && !shmem.has(v.file.inode)) {
        shmem.add(v.file.inode);
        pages += Math.ceil(v.file.inode.size / PAGE_SIZE);
      }
    }
  }
  return pages;
}

/** mm->total_vm: every page this mm maps. */
function totalVm(mm: Mm): number {
  let pages = 0;
  for (const v of mm.tree) pages += (v.end - v.start) / PAGE_SIZE;
  return pages;
}

/**
 * security_vm_enough_memory_mm() → __vm_enough_memory(): ENOMEM, with the rule that refused.
 * The engine's processes run as root (like the conformance tests): no admin reserve.
 */
export function vmEnoughMemory(mm: Mm, pages: number, syscall: string, what: string): void {
  const o = mm.kernel.overcommit;
  if (pages <= 0 || o.mode === 1) return;
  const mib = (p: number) => `${Math.round((p * PAGE_SIZE) / 2 ** 20)} MiB`;
  if (o.mode === 0) {
    const limit = (o.ramBytes + o.swapBytes) / PAGE_SIZE;
    if (pages > limit) {
      fail("ENOMEM", syscall, `${what} would commit ${mib(pages)}, more than RAM + swap (${mib(limit)}): ` +
        `vm.overcommit_memory = 0 refuses any single commitment that large (__vm_enough_memory())`);
    }
    return;
  }
  // vm_commit_limit(): RAM * ratio / 100 + swap, less the user reserve (min(total_vm / 32, reserve)).
  const allowed = Math.floor(((o.ramBytes / PAGE_SIZE) * o.ratio) / 100) + o.swapBytes / PAGE_SIZE -
    Math.min(Math.floor(totalVm(mm) / 32), userReservePages(o));
  const committed = committedPages(mm.kernel.liveMms()) + pages;
  if (committed >= allowed) {
    fail("ENOMEM", syscall, `${what} would bring Committed_AS to ${mib(committed)}, ` +
      `not below CommitLimit less the user reserve (${mib(allowed)}): vm.overcommit_memory = 2`);
  }
}

/** The VM_ACCOUNT pages of [start, end): what a MAP_FIXED replacement hands back (vms->nr_accounted). */
export function accountedPages(mm: Mm, start: number, end: number): number {
  let pages = 0;
  for (let v = mm.tree.findVma(start); v && v.start < end; v = v.next) {
    if (v.flagsLo & VM_ACCOUNT_LO) pages += (Math.min(v.end, end) - Math.max(v.start, start)) / PAGE_SIZE;
  }
  return pages;
}
