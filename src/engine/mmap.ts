/**
 * mmap() (mm/mmap.c do_mmap(), mmap_region(); mm/vma.c __mmap_region() from 6.13): argument
 * checks, the flag word of a new mapping, and — per version — where the merge attempt, the
 * driver's mmap hook and KSM's VM_MERGEABLE happen relative to each other.
 * @module
 */
import { fail } from "./errno.ts";
import {
  VM_DONTDUMP, VM_DONTEXPAND, VM_EXEC, VM_HUGETLB, VM_IO, VM_LOCKONFAULT,
  VM_PFNMAP, VM_READ, VM_SHARED, VM_SPECIAL, VM_WRITE,
  VM_ACCOUNT_LO, VM_DROPPABLE_HI, VM_GROWSDOWN_LO, VM_HUGETLB_LO, VM_LOCKED_LO, VM_LOCKED_MASK_LO, VM_MAY_RWX_LO,
  VM_MAYSHARE_LO, VM_MAYWRITE_LO, VM_NOHUGEPAGE_LO, VM_NORESERVE_LO, VM_SHARED_LO, VM_SOFTDIRTY_LO, VM_SYNC_LO,
  VM_WIPEONFORK_DONTDUMP_LO, VM_WRITE_LO,
  hasAny, hex, lo32,
} from "./flags.ts";
import { fileOps, type File } from "./file.ts";
import type { Mm } from "./mm.ts";
import { ksmAddVma, ksmVmaFlagsLo } from "./ksm.ts";
import { mmapRegionExpandLegacy, vmaMergeNewRange } from "./merge.ts";
import { vmgMmapState } from "./vma_merge_struct.ts";
import { doVmiAlignMunmap, pageAlign } from "./munmap.ts";
import { getUnmappedArea } from "./unmapped_area.ts";
import { writePage } from "./fault.ts";
import type { Vma } from "./vma.ts";
import { hexAddr } from "./trace.ts";
import { accountedPages, vmEnoughMemory } from "./overcommit.ts";
import { memfdCheckSealsMmap } from "./memfd.ts";
import {
  MAP_ANONYMOUS, MAP_DENYWRITE, MAP_DROPPABLE, MAP_EXECUTABLE, MAP_FIXED, MAP_FIXED_NOREPLACE,
  MAP_GROWSDOWN, MAP_HUGETLB, MAP_LOCKED, MAP_NONBLOCK, MAP_NORESERVE, MAP_POPULATE, MAP_PRIVATE,
  MAP_SHARED, MAP_SHARED_VALIDATE, MAP_STACK, MAP_SYNC, MAP_TYPE, MAP_UNINITIALIZED, MMAP_MIN_ADDR,
  PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE,
} from "./uapi.ts";

/** include/linux/mman.h LEGACY_MAP_MASK: flags MAP_SHARED silently accepts. */
const LEGACY_MAP_MASK = MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE |
  MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |
  MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | 0x40 /* MAP_32BIT */ |
  (21 << 26) /* MAP_HUGE_2MB */ | (30 << 26) /* MAP_HUGE_1GB */;

/**
 * calc_vm_prot_bits(), as the low flag word: on x86 VM_READ/VM_WRITE/VM_EXEC are the bits of
 * PROT_READ/PROT_WRITE/PROT_EXEC (the kernel's _calc_vm_trans() is then the identity); other
 * prot bits are ignored.
 */
export function calcVmProtBitsLo(prot: number): number {
  return prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
}
if (lo32(VM_READ) !== PROT_READ || lo32(VM_WRITE) !== PROT_WRITE || lo32(VM_EXEC) !== PROT_EXEC)
  throw new Error("calcVmProtBitsLo: PROT_* and VM_* bits differ");

/** calc_vm_flag_bits(), a low word (every bit it sets is below bit 32). */
function calcVmFlagBitsLo(mm: Mm, flags: number): number {
  const v = mm.kernel.profile;
  let f = 0;
  if (flags & MAP_GROWSDOWN) f |= VM_GROWSDOWN_LO;
  if (flags & MAP_LOCKED) f |= VM_LOCKED_LO;
  if (flags & MAP_SYNC) f |= VM_SYNC_LO;
  if (flags & MAP_STACK && v.mapStackNoHugepage) f |= VM_NOHUGEPAGE_LO;
  return f;
}

/**
 * do_mmap(): checks in the kernel's order, the flag word, then mmap_region().
 * `pgoff` is the file offset in pages (sys_mmap() has already refused an unaligned offset).
 */
export function doMmap(mm: Mm, addr: number, len: number, prot: number, flags: number,
  file: File | null, pgoff: number): number {
  const k = mm.kernel;
  const v = k.profile;
  if (len === 0) fail("EINVAL", "mmap", "length is 0");
  // do_mmap() does not validate prot: calc_vm_prot_bits() takes READ/WRITE/EXEC and ignores the rest.
  if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
  // round_hint_to_min(): hints below vm.mmap_min_addr are raised to it.
  if (!(flags & MAP_FIXED)) {
    addr -= addr % PAGE_SIZE;
    if (addr && addr < MMAP_MIN_ADDR) addr = MMAP_MIN_ADDR;
  }
  const plen = pageAlign(len);
  if (plen === 0 || plen >= 2 ** 64) fail("ENOMEM", "mmap", `length ${len} overflows when rounded up to a page`);
  len = plen;
  if (mm.map_count > k.maxMapCount) {
    fail("ENOMEM", "mmap", `map_count (${mm.map_count}) is above vm.max_map_count (${k.maxMapCount}): ` +
      `do_mmap() refuses when map_count > max_map_count`);
  }
  addr = getUnmappedArea(mm, addr, len, flags, "mmap", file);
  if (flags & MAP_FIXED_NOREPLACE) {
    const hit = mm.tree.intersection(addr, addr + len);
    if (hit) fail("EEXIST", "mmap",
      `MAP_FIXED_NOREPLACE: [${hexAddr(addr)}-${hexAddr(addr + len)}) ` +
      `overlaps the existing VMA [${hexAddr(hit.start)}-${hexAddr(hit.end)})`);
  }
  // The flag word as two int32 halves: lo = bits 0..31, hi = bits 32..63.
  let lo = calcVmProtBitsLo(prot) | calcVmFlagBitsLo(mm, flags) | mm.defFlagsLo | VM_MAY_RWX_LO;
  let hi = mm.defFlagsHi;
  const type = flags & MAP_TYPE;
  if (file) {
    const ops = fileOps(file.inode.kind, v);
    switch (type) {
      case MAP_SHARED:
      case MAP_SHARED_VALIDATE: {
        const effective = type === MAP_SHARED ? flags & LEGACY_MAP_MASK : flags;
        // No file here has FOP_MMAP_SYNC, so MAP_SYNC is refused like any non-legacy flag.
        if (effective & ~LEGACY_MAP_MASK & ~MAP_SHARED_VALIDATE) fail("EOPNOTSUPP", "mmap",
          `MAP_SHARED_VALIDATE with flags ${hexAddr(effective & ~LEGACY_MAP_MASK)} this file does not support`);
        if (prot & PROT_WRITE && !file.writable) fail("EACCES", "mmap",
          `PROT_WRITE on a MAP_SHARED mapping of ${file.inode.path}, which was not opened for writing`);
        lo |= VM_SHARED_LO | VM_MAYSHARE_LO;
        if (!file.writable) lo &= ~(VM_MAYWRITE_LO | VM_SHARED_LO);
      }
      // fallthrough
      case MAP_PRIVATE:
        if (!file.readable) fail("EACCES", "mmap", `${file.inode.path} was not opened for reading`);
        if (!ops.canMmap) fail("ENODEV", "mmap", `${file.inode.path} has no mmap file operation`);
        if (lo & VM_GROWSDOWN_LO) fail("EINVAL", "mmap", "MAP_GROWSDOWN is only for anonymous memory");
        break;
      default:
        fail("EINVAL", "mmap", `mapping type ${hexAddr(type)} is neither MAP_SHARED nor MAP_PRIVATE`);
    }
    // memfd_check_seals_mmap(): write seals refuse shared writable maps and strip VM_MAYWRITE.
    if (file.inode.seals) lo = memfdCheckSealsMmap(file, lo, v);
  } else {
    switch (type) {
      case MAP_SHARED:
        if (lo & VM_GROWSDOWN_LO) fail("EINVAL", "mmap", "MAP_GROWSDOWN cannot be shared");
        pgoff = 0;
        lo |= VM_SHARED_LO | VM_MAYSHARE_LO;
        break;
      case MAP_DROPPABLE:
        if (!v.droppable) fail("EINVAL", "mmap", `MAP_DROPPABLE does not exist before 6.11`);
        // do_mmap(): "A locked or stack area makes no sense to be droppable", nor hugetlb (9651fcedf7b9, 6.11).
        if (flags & MAP_LOCKED) fail("EINVAL", "mmap", "MAP_DROPPABLE cannot be combined with MAP_LOCKED");
        if (lo & VM_GROWSDOWN_LO) fail("EINVAL", "mmap", "MAP_DROPPABLE cannot grow down");
        hi |= VM_DROPPABLE_HI;
        lo |= VM_WIPEONFORK_DONTDUMP_LO;
        lo |= VM_NORESERVE_LO;
        pgoff = addr / PAGE_SIZE;
        break;
      case MAP_PRIVATE:
        pgoff = addr / PAGE_SIZE;
        break;
      default:
        fail("EINVAL", "mmap", `mapping type ${hexAddr(type)} is not valid for anonymous memory`);
    }
  }
  // MAP_NORESERVE is honoured unless vm.overcommit_memory = 2 (never); hugetlb always honours it.
  const huge = file !== null && file.inode.kind === "hugetlb";
  if (flags & MAP_NORESERVE && (k.overcommit.mode !== 2 || huge)) lo |= VM_NORESERVE_LO;
  if (huge) hugetlbfsCheckMmap(file, pgoff, lo);
  const out = mmapRegion(mm, addr, len, lo, hi, file, pgoff);
  // MAP_POPULATE / VM_LOCKED: mm_populate() faults every page in, writing when the VMA is writable
  // and private (populate_vma_page_range(): FOLL_WRITE) — which gives it an anon_vma.
  // VM_LOCKONFAULT (mlockall(MCL_FUTURE | MCL_ONFAULT)): populate_vma_page_range() faults nothing.
  if (((lo & VM_LOCKED_LO) !== 0 || (flags & (MAP_POPULATE | MAP_NONBLOCK)) === MAP_POPULATE) &&
    (lo & VM_WRITE_SHARED_LO) === VM_WRITE_LO && (lo & VM_LOCKONFAULT_LO) === 0) {
    for (let a = out; a < out + len; a += PAGE_SIZE) writePage(mm, a, (c) => c, "mmap");
  }
  return out;
}

/**
 * hugetlbfs_file_mmap()'s refusals, made before anything is mapped (__mmap_region() would undo
 * its MAP_FIXED unmap): an offset not in whole huge pages, and a reservation with no huge pages.
 */
function hugetlbfsCheckMmap(file: File, pgoff: number, lo: number): void {
  const hpages = file.inode.hugePageSize! / PAGE_SIZE;
  if (pgoff % hpages) fail("EINVAL", "mmap",
    `offset ${hexAddr(pgoff * PAGE_SIZE)} is not a multiple of the huge page size`);
  if (!(lo & VM_NORESERVE_LO)) {
    fail("ENOMEM", "mmap", "MAP_HUGETLB without MAP_NORESERVE: " +
      "hugetlb_reserve_pages() finds no free huge pages (vm.nr_hugepages = 0)");
  }
}

const VM_SPECIAL_HUGETLB_LO = lo32(VM_SPECIAL | VM_HUGETLB);
const VM_WRITE_SHARED_LO = lo32(VM_WRITE | VM_SHARED);
const VM_LOCKONFAULT_LO = lo32(VM_LOCKONFAULT);

/**
 * can_set_ksm_flags_early() (cf7e7a3503df, 6.17): anonymous memory, files whose driver has
 * mmap_prepare, and shmem get VM_MERGEABLE before the merge attempt; any other .mmap hook might
 * still change the flags, so those keep the late path.
 */
export function canSetKsmFlagsEarly(mm: Mm, file: File | null): boolean {
  if (!file) return true;
  const ops = fileOps(file.inode.kind, mm.kernel.profile);
  return ops.mmapPrepare || ops.isShmem;
}

const ACCOUNT_TEST_LO = VM_NORESERVE_LO | VM_SHARED_LO | VM_WRITE_LO;

/**
 * accountable_mapping(): private writable mappings are charged against overcommit
 * (every bit tested is in the low word).
 */
function accountable(file: File | null, flagsLo: number): boolean {
  if (file && (flagsLo & VM_HUGETLB_LO) !== 0) return false;
  return (flagsLo & ACCOUNT_TEST_LO) === VM_WRITE_LO;
}

/**
 * The overcommit charge of a new mapping, checked before MAP_FIXED unmaps anything (a refusal
 * then leaves the old mappings: vms_abort_munmap_vmas()). __mmap_setup() charges accountable
 * memory less the VM_ACCOUNT pages it replaces; shmem_zero_setup() → shmem_acct_size() charges
 * shared anonymous memory (and shared /dev/zero) whole, whatever its protection.
 */
function chargeMmap(mm: Mm, addr: number, end: number, lo: number, file: File | null): void {
  const pages = (end - addr) / PAGE_SIZE;
  if (accountable(file, lo)) vmEnoughMemory(mm, pages - accountedPages(mm, addr, end),
    "mmap", "this private writable mapping");
  else if ((!file || file.inode.kind === "devzero") && lo & VM_SHARED_LO && !(lo & VM_NORESERVE_LO)) {
    vmEnoughMemory(mm, pages, "mmap", "this shared anonymous mapping (shmem_acct_size())");
  }
}

/** The legacy f_op->mmap hooks of our files: what they do to a just-allocated VMA. */
function callMmapHook(mm: Mm, vma: Vma): void {
  const file = vma.file!;
  const t = mm.kernel.tracer;
  switch (file.inode.kind) {
    case "devzero":
      if (hasAny(vma.flags, VM_SHARED)) shmemZeroSetup(mm, vma);
      // mmap_zero(): MAP_PRIVATE /dev/zero becomes anonymous memory (vma_set_anonymous()) but keeps vm_file.
      break;
    case "hugetlb":
      // hugetlbfs_file_mmap(): VM_HUGETLB | VM_DONTEXPAND, so the VMA is VM_SPECIAL: never merged, never KSM'd.
      vma.flags |= VM_HUGETLB | VM_DONTEXPAND;
      break;
    case "device": {
      const before = vma.flags;
      vma.flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
      t.on && t.event("flags", "remap_pfn_range",
        `the driver's .mmap hook set VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP ` +
        `(${hex(before)} → ${hex(vma.flags)}): ` +
        `the VMA is VM_SPECIAL, never merged, never KSM-compatible`, vma.start, vma.end);
      break;
    }
    default:
      break;
  }
}

/**
 * shmem_zero_setup() (mm/shmem.c, 6.18.2): shared anonymous memory is backed by a fresh shmem file
 * of the VMA's size, "/dev/zero (deleted)". vm_pgoff is left alone: 0 for MAP_ANONYMOUS (do_mmap()),
 * the file offset for a shared /dev/zero mapping.
 */
function shmemZeroSetup(mm: Mm, vma: Vma): void {
  vma.file = mm.kernel.vfs.shmemAnonFile(vma.end - vma.start);
}

/**
 * mmap_region() / __mmap_region(): unmap what MAP_FIXED replaces, account, try to merge with the
 * neighbours, else create a VMA; KSM's flag comes before the merge (6.17+, when safe) or after
 * it (6.4-6.16: ksm_add_vma()).
 */
function mmapRegion(mm: Mm, addr: number, len: number, lo: number, hi: number,
  file: File | null, pgoff: number): number {
  const k = mm.kernel;
  const v = k.profile;
  const t = k.tracer;
  const end = addr + len;
  const checkKsmEarly = v.ksmFlagTiming === "early" && canSetKsmFlagsEarly(mm, file);
  // MAP_FIXED: the old mappings in the range go first (vms_gather_munmap_vmas()); one lookup
  // finds them and the neighbours the new range may merge with (vms->prev, vma_next()).
  chargeMmap(mm, addr, end, lo, file);
  const prev = doVmiAlignMunmap(mm, addr, end, "mmap", mm.tree.findVma(addr));
  const next = prev ? prev.next : mm.tree.first();
  if (accountable(file, lo)) lo |= VM_ACCOUNT_LO;
  const ops = file ? fileOps(file.inode.kind, v) : null;
  if (ops && v.mmapPrepare && ops.mmapPrepare) {
    t.on && t.event("info", "call_mmap_prepare",
      `${ops.hook}() ran before the merge attempt (f_op->mmap_prepare, 6.16+)`);
  }
  if (checkKsmEarly && mm.mergeAny) {
    const before = lo;
    lo = ksmVmaFlagsLo(mm, file, lo, hi);
    if (lo !== before) t.on && t.event("ksm", "ksm_vma_flags",
      `set VM_MERGEABLE on the proposed flags before the merge attempt (can_set_ksm_flags_early(): ` +
      `${file ? (ops!.mmapPrepare ? "the file has mmap_prepare" : "shmem file") : "anonymous"}; cf7e7a3503df)`);
  } else if (v.ksmFlagTiming === "early" && mm.mergeAny && file) {
    t.on && t.event("info", "can_set_ksm_flags_early",
      `${file!.inode.path}'s driver has only a legacy .mmap hook (${ops!.hook}), ` +
      `which could still change the flags: VM_MERGEABLE will be set after it, ` +
      `so this mapping cannot merge with mg neighbours`);
  }
  const req = vmgMmapState(mm, addr, end, lo, hi, pgoff, file, prev, next);
  let vma: Vma | null = null;
  // Shared anonymous memory gets its shmem file only after the merge attempt (in the hook path),
  // so it is proposed with vm_file = NULL and never matches a neighbour.
  if (v.mergeEngine === "legacy") vma = mmapRegionExpandLegacy(req);
  else if (prev || next) vma = vmaMergeNewRange(req);
  if (!vma) {
    vma = mm.newVma32(addr, end, lo, hi, pgoff, file);
    if (file) callMmapHook(mm, vma);
    else if ((lo & VM_SHARED_LO) !== 0) shmemZeroSetup(mm, vma);
    // ≤6.15 retried the merge with the hook's flags; our hooks only add VM_SPECIAL bits, which never merge.
    mm.insert(vma, prev);
    t.on && t.event("new", v.mergeEngine === "vmg" ? "__mmap_new_vma" : "mmap_region",
      `new VMA [${hexAddr(vma.start)}-${hexAddr(vma.end)})`, vma.start, vma.end);
    if (v.ksmFlagTiming === "late") ksmAddVma(mm, vma);
    else if (v.ksmFlagTiming === "early" && !checkKsmEarly) {
      const before = vma.flagsLo;
      vma.flagsLo = ksmVmaFlagsLo(mm, vma.file, vma.flagsLo, vma.flagsHi);
      if (vma.flagsLo !== before) t.on && t.event("ksm", "ksm_vma_flags",
        `set VM_MERGEABLE after the legacy .mmap hook (the late path of __mmap_new_vma())`, vma.start, vma.end);
    }
  }
  // __mmap_complete(): soft-dirty, and no VM_LOCKED on special or hugetlb VMAs.
  if (k.config.softDirty) vma.flagsLo |= VM_SOFTDIRTY_LO;
  if ((vma.flagsLo & VM_SPECIAL_HUGETLB_LO) !== 0) vma.flagsLo &= ~VM_LOCKED_MASK_LO;
  return addr;
}

