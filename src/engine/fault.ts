/**
 * Page faults from scenario writes (mm/memory.c handle_mm_fault()): a write to private memory
 * gives the VMA an anon_vma (anon_vma_prepare()) and the page a private copy (do_anonymous_page(),
 * wp_page_copy()); that is what makes "faulted" and "unfaulted" VMAs merge differently.
 * @module
 */
import { KernelError } from "./errno.ts";
import { VM_ACCESS_FLAGS, VM_ACCESS_FLAGS_LO, VM_GROWSDOWN_LO, VM_LOCKONFAULT, VM_READ_LO, VM_SHARED_LO,
  VM_STICKY, VM_WRITE_LO, lo32 } from "./flags.ts";
import { STACK_GUARD_GAP } from "./mm.ts";
import type { Mm } from "./mm.ts";
import type { Vma } from "./vma.ts";
import type { AnonVma } from "./vma.ts";
import { hexAddr } from "./trace.ts";
import { MMAP_MIN_ADDR, PAGE_SIZE } from "./uapi.ts";
import type { Page } from "./page.ts";

/** VM_ACCESS_FLAGS | VM_IGNORE_MERGE (6.19; VM_SOFTDIRTY before, and VM_MAYBE_GUARD was never set then). */
const ACCESS_IGNORE_MERGE_LO = lo32(VM_ACCESS_FLAGS | VM_STICKY);
const VM_LOCKONFAULT_LO = lo32(VM_LOCKONFAULT);

/**
 * anon_vma_compatible() (mm/vma.c, mm/rmap.c before 6.12): b follows a, same file, flags equal but
 * for access bits and VM_IGNORE_MERGE, linear pgoff.
 */
function anonVmaCompatible(a: Vma, b: Vma): boolean {
  return a.end === b.start && a.file === b.file &&
    ((a.flagsLo ^ b.flagsLo) & ~ACCESS_IGNORE_MERGE_LO) === 0 && a.flagsHi === b.flagsHi &&
    b.pgoff === a.pgoff + (b.start - a.start) / PAGE_SIZE;
}

/** reusable_anon_vma(): old's anon_vma, if a/b are compatible and old's chain is singular. */
function reusableAnonVma(old: Vma, a: Vma, b: Vma): AnonVma | null {
  if (anonVmaCompatible(a, b) && old.anonVma && !old.forkChild) return old.anonVma;
  return null;
}

/** find_mergeable_anon_vma(): try next first, then prev. */
function findMergeableAnonVma(v: Vma): AnonVma | null {
  if (v.next) {
    const a = reusableAnonVma(v.next, v, v.next);
    if (a) return a;
  }
  return v.prev ? reusableAnonVma(v.prev, v.prev, v) : null;
}

/** __anon_vma_prepare(): reuse a neighbour's anon_vma where possible, else allocate one. */
export function anonVmaPrepare(mm: Mm, v: Vma, cause = "first write fault"): void {
  if (v.anonVma) return;
  const reused = findMergeableAnonVma(v);
  v.anonVma = reused ?? mm.newAnonVma();
  v.forkChild = false;
  const id = v.anonVma.id;
  mm.kernel.tracer.on && mm.kernel.tracer.event("fault", "__anon_vma_prepare", reused
    ? `${cause} in [${hexAddr(v.start)}-${hexAddr(v.end)}): ` +
      `reused the neighbour's anon_vma #${id} (find_mergeable_anon_vma())`
    : `${cause} in [${hexAddr(v.start)}-${hexAddr(v.end)}): allocated anon_vma #${id}`, v.start, v.end);
}

/** RLIMIT_STACK's default soft limit (8 MiB): acct_stack_growth() refuses to grow past it. */
const RLIMIT_STACK = 8 * 1024 * 1024;

/**
 * expand_downwards() (mm/mmap.c; reached from the fault path, lock_mm_and_find_vma() in 6.5+):
 * an access below a VM_GROWSDOWN VMA grows it down to the faulting page, unless an accessible
 * VMA below is closer than stack_guard_gap or the stack would exceed RLIMIT_STACK.
 */
function expandDownwards(mm: Mm, v: Vma, addr: number): boolean {
  const start = addr - (addr % PAGE_SIZE);
  const prev = v.prev;
  if (prev && !(prev.flagsLo & VM_GROWSDOWN_LO) && prev.flagsLo & VM_ACCESS_FLAGS_LO &&
    start - prev.end < STACK_GUARD_GAP) return false;
  if (v.end - start > RLIMIT_STACK || start < MMAP_MIN_ADDR) return false;
  anonVmaPrepare(mm, v);
  const grow = (v.start - start) / PAGE_SIZE;
  mm.setRange(v, start, v.end, v.pgoff - grow);
  if (mm.kernel.tracer.on) mm.kernel.tracer.event("fault", "expand_downwards",
    `the access at ${hexAddr(addr)} grew the VM_GROWSDOWN VMA down to ${hexAddr(start)}`, start, v.end);
  return true;
}

/** The VMA a user access at addr hits (growing a stack VMA if need be), or a SIGSEGV reported as an error. */
function vmaForAccess(mm: Mm, addr: number, op: string): Vma {
  let v = mm.tree.lookup(addr);
  if (!v) {
    const above = mm.tree.findVma(addr);
    if (above && above.flagsLo & VM_GROWSDOWN_LO && expandDownwards(mm, above, addr)) v = above;
  }
  if (!v) throw new KernelError("EFAULT", op, `SIGSEGV: no VMA maps ${hexAddr(addr)} (a C program would crash here)`);
  // A guard-region PTE marker (MADV_GUARD_INSTALL): handle_pte_marker() answers VM_FAULT_SIGSEGV.
  if (mm.guards.size && mm.guards.has(Math.floor(addr / PAGE_SIZE))) throw new KernelError("EFAULT", op,
    `SIGSEGV: ${hexAddr(addr)} is a guard page (MADV_GUARD_INSTALL): a C program would crash here`);
  return v;
}

/**
 * shmem_fault() beyond i_size: a shared /dev/zero mapping at a file offset reaches past the end of
 * its shmem file (sized like the VMA), and those pages are a SIGBUS.
 */
function beyondShmemEof(v: Vma, addr: number, op: string): void {
  if (v.file?.inode.kind !== "shmem-anon") return;
  const pgoff = v.pgoff + Math.floor((addr - v.start) / PAGE_SIZE);
  if (pgoff >= Math.ceil(v.file.inode.size / PAGE_SIZE)) throw new KernelError("EFAULT", op,
    `SIGBUS: ${hexAddr(addr)} is page ${pgoff} of a ${v.file.inode.size}-byte shmem file, ` +
    `beyond its end (a C program would crash here)`);
}

/**
 * hugetlb_no_page(): with no huge page to allocate (vm.nr_hugepages = 0),
 * an access that passed the permission check is a SIGBUS.
 */
function noHugePage(v: Vma, addr: number, op: string): void {
  if (v.file?.inode.kind === "hugetlb") throw new KernelError("EFAULT", op,
    `SIGBUS: ${hexAddr(addr)} is in a hugetlb mapping and there are no free huge pages ` +
    `(a C program would crash here)`);
}

/**
 * A write of `content` into the page at addr: handle_mm_fault() with FAULT_FLAG_WRITE, then the
 * store. Shared mappings write the file's page; private ones get an anonymous page (COW).
 */
export function writePage(mm: Mm, addr: number, content: (old: string) => string, op: string): Page {
  const v = vmaForAccess(mm, addr, op);
  if (!(v.flagsLo & VM_WRITE_LO)) throw new KernelError("EFAULT", op,
    `SIGSEGV: ${hexAddr(addr)} is in a VMA without write permission ` +
    `(${v.flagsLo & VM_ACCESS_FLAGS_LO ? "" : "PROT_NONE"}): a C program would crash here`);
  noHugePage(v, addr, op);
  beyondShmemEof(v, addr, op);
  const vpn = Math.floor(addr / PAGE_SIZE);
  const alloc = mm.kernel.pages;
  let page = mm.ptes.get(vpn);
  if (v.flagsLo & VM_SHARED_LO && v.file) {
    // Shared mappings write the page cache: every mapper sees the write.
    const pgoff = v.pgoff + (vpn - v.start / PAGE_SIZE);
    const cache = mm.kernel.pageCache(v.file.inode);
    let p = cache.get(pgoff);
    if (!p) {
      p = alloc.alloc("0", false);
      cache.set(pgoff, p);
    }
    if (page !== p) alloc.map(mm.ptes, vpn, p);
    p.content = content(p.content);
    return p;
  }
  anonVmaPrepare(mm, v);
  if (!page) {
    page = alloc.alloc(content("0"));
    alloc.map(mm.ptes, vpn, page);
    return page;
  }
  if (page.mapcount > 1 || page.ksm || page.zero || !page.anon) {
    const wasKsm = page.ksm;
    const old = page;
    page = alloc.cowBreak(mm, vpn, page);
    if (wasKsm) mm.kernel.tracer.on && mm.kernel.tracer.event("ksm", "do_wp_page",
      `write broke sharing of KSM page #${old.id} at ${hexAddr(vpn * PAGE_SIZE)}; ` +
      `counters update at ksmd's next pass`, vpn * PAGE_SIZE, vpn * PAGE_SIZE + PAGE_SIZE);
  }
  page.content = content(page.content);
  return page;
}

/** What a read of the page at addr returns (no fault modelled: the zero page for untouched memory). */
export function readPage(mm: Mm, addr: number, op: string): string {
  const v = vmaForAccess(mm, addr, op);
  if (!(v.flagsLo & VM_READ_LO)) throw new KernelError("EFAULT", op,
    `SIGSEGV: ${hexAddr(addr)} is in a VMA without read permission`);
  noHugePage(v, addr, op);
  beyondShmemEof(v, addr, op);
  const vpn = Math.floor(addr / PAGE_SIZE);
  const page = mm.ptes.get(vpn);
  if (page) return page.content;
  if (v.file && v.flagsLo & VM_SHARED_LO) {
    const p = mm.kernel.pageCache(v.file.inode).get(v.pgoff + (vpn - v.start / PAGE_SIZE));
    return p ? p.content : "0";
  }
  return "0";
}

/**
 * One page of __get_user_pages() (mm/gup.c) at addr inside v: a write fault (FOLL_WRITE) stores
 * nothing new but faults the page in as a store would, giving private memory an anon_vma and
 * breaking COW; a read fault maps the zero page or the file's page, which the engine leaves
 * unrecorded, so only its SIGBUS cases (no huge page, past a shmem file's end) are visible.
 * A SIGBUS is EFAULT, as GUP returns it.
 */
export function faultInPage(mm: Mm, v: Vma, addr: number, write: boolean, op: string): void {
  if (write) {
    writePage(mm, addr, (c) => c, op);
    return;
  }
  noHugePage(v, addr, op);
  beyondShmemEof(v, addr, op);
}

/**
 * populate_vma_page_range() (mm/gup.c, 6.18.2) for [start, end) of v, as __mm_populate() calls
 * it for mlock() and mprotect_fixup() for a locked VMA made writable: nothing for
 * VM_LOCKONFAULT, EFAULT for PROT_NONE (vma_is_accessible()), write faults for private writable
 * memory ("to break COW"), read faults (FOLL_FORCE) otherwise.
 */
export function populateVmaPageRange(mm: Mm, v: Vma, start: number, end: number, op: string): void {
  if (v.flagsLo & VM_LOCKONFAULT_LO) return;
  if (!(v.flagsLo & VM_ACCESS_FLAGS_LO)) throw new KernelError("EFAULT", op,
    `[${hexAddr(v.start)}-${hexAddr(v.end)}) is PROT_NONE: populate_vma_page_range() never faults it in`);
  const write = (v.flagsLo & (VM_WRITE_LO | VM_SHARED_LO)) === VM_WRITE_LO;
  for (let a = start; a < end; a += PAGE_SIZE) faultInPage(mm, v, a, write, op);
}
