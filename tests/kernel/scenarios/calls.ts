/**
 * Calls the engine once got wrong (issue 19's engine API, issue 15's "Wrong" list), one class per
 * scenario, in the shape of bad-input.ts: a 16-page PROT_NONE carveout `c`, and `errnos` listing
 * every refused call's errno in order. The kernel decides each one; the kernel suite replays them.
 */
import {
  F_ADD_SEALS, F_GET_SEALS, F_SEAL_EXEC, F_SEAL_FUTURE_WRITE, F_SEAL_GROW, F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_WRITE,
  MFD_ALLOW_SEALING, MFD_EXEC, MFD_NOEXEC_SEAL, MADV_DODUMP, MADV_DONTDUMP, MADV_DONTNEED, MADV_FREE, MADV_GUARD_INSTALL,
  MADV_GUARD_REMOVE, MADV_MERGEABLE, MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_REMOVE, MAP_ANONYMOUS, MAP_FIXED,
  MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_HUGETLB, MAP_LOCKED, MAP_NORESERVE, MAP_PRIVATE, MAP_SHARED, MCL_FUTURE,
  MCL_ONFAULT, MLOCK_ONFAULT, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, O_CREAT, O_RDWR, PAGE_SIZE as P, PROT_EXEC,
  PROT_GROWSDOWN, PROT_GROWSUP, PROT_NONE, PROT_READ, PROT_WRITE, type Process,
} from "mergeable";
import { each, type BadInputScenario } from "./bad-input.ts";

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const TB = 2 ** 40;
const HUGE = 2 * 1024 * 1024;
/** Far above the carveout, free in the engine's layout and in the replayer's (below its fillers). */
const FAR = 0x400000000000;

/** Two private file VMAs, guarded while their flags differ (MADV_DONTDUMP), made equal again. */
export function guardFileHalves(p: Process, c: number, path: string): void {
  const fd = p.open(path, O_RDWR | O_CREAT);
  p.ftruncate(fd, 4 * P);
  p.mmap(c + P, P, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
  p.mmap(c + 2 * P, P, RW, MAP_PRIVATE | MAP_FIXED, fd, P);
  p.madvise(c + P, P, MADV_DONTDUMP);
  p.madvise(c + P, P, MADV_GUARD_INSTALL);
  p.madvise(c + 2 * P, P, MADV_GUARD_INSTALL);
  p.madvise(c + P, P, MADV_DODUMP);
}

/** RWX | RWX sealed | RWX, then one mseal() over all three (merge.c merge_vmas_with_mseal). */
export function sealThreeRwx(p: Process, c: number): void {
  const RWX = RW | PROT_EXEC;
  p.mmap(c + P, P, RWX, ANON | MAP_FIXED, -1, 0);
  p.mmap(c + 2 * P, P, RWX, ANON | MAP_FIXED, -1, 0);
  p.mmap(c + 3 * P, P, PROT_READ, ANON | MAP_FIXED, -1, 0);
  p.mseal(c + 2 * P, P, 0);
  p.mprotect(c + 3 * P, P, RWX);
  p.mseal(c + P, 3 * P, 0);
}

export const calls: BadInputScenario[] = [
  {
    // fs/open.c do_sys_ftruncate(): a negative length is EINVAL before the fd is looked up;
    // fs/attr.c inode_newsize_ok(): growing past s_maxbytes is EFBIG (ext4: 2^44 - 4096 bytes).
    name: "ftruncate: negative length EINVAL (even on a bad fd), beyond s_maxbytes EFBIG, tmpfs allows 2^62",
    errnos: ["EINVAL", "EINVAL", "EFBIG", "EFBIG", "EINVAL"],
    run(p) {
      const fd = p.open("/calls/trunc", O_RDWR | O_CREAT);
      const m = p.memfd_create("trunc");
      const z = p.open("/dev/zero", O_RDWR);
      each(
        () => p.ftruncate(fd, -1),
        () => p.ftruncate(42, -1),
        () => p.ftruncate(fd, 2 ** 44),
        () => p.ftruncate(fd, 2 ** 70),
        () => p.ftruncate(fd, 2 ** 44 - 4096),
        () => p.ftruncate(m, 2 ** 62),
        () => p.ftruncate(z, P),
      );
    },
  },
  {
    // arch_get_unmapped_area_topdown() returns a MAP_FIXED address unchecked, and
    // __get_unmapped_area() passes an IS_ERR_VALUE() one on as the error: -1 is EPERM.
    // ksys_mmap_pgoff(): flags -1 has MAP_HUGETLB with size log 63, no hstate: EINVAL.
    name: "mmap(-1, MAP_FIXED) is EPERM, -4096 ENOMEM; flags -1 EINVAL, also without MAP_HUGETLB; MAP_HUGETLB on a file EINVAL",
    errnos: ["EPERM", "EPERM", "ENOMEM", "EINVAL", "EINVAL", "EINVAL"],
    run(p) {
      const fd = p.open("/calls/huge", O_RDWR | O_CREAT);
      p.ftruncate(fd, 4 * P);
      each(
        () => p.mmap(-1, P, RW, ANON | MAP_FIXED, -1, 0),
        () => p.mmap(-1, 2 * P, RW, ANON | MAP_FIXED, -1, 0),
        () => p.mmap(-4096, P, RW, ANON | MAP_FIXED, -1, 0),
        () => p.mmap(0, P, RW, -1, -1, 0),
        () => p.mmap(0, P, RW, ~MAP_HUGETLB, -1, 0),
        () => p.mmap(0, P, RW, MAP_PRIVATE | MAP_HUGETLB, fd, 0),
      );
    },
  },
  {
    // mm/util.c __vm_enough_memory(), vm.overcommit_memory = 0: one commitment larger than
    // RAM + swap is refused. accountable_mapping(): private writable without VM_NORESERVE;
    // shmem_acct_size(): shared anonymous memory, whatever its protection; mprotect_fixup()
    // charges a private VMA made writable.
    name: "overcommit heuristic: 1 TiB private writable, shared anonymous or mprotect'd writable is ENOMEM",
    errnos: ["ENOMEM", "ENOMEM", "ENOMEM", "ENOMEM", "ENOMEM"],
    run(p) {
      const ro = p.mmap(FAR, TB, PROT_READ, ANON | MAP_FIXED_NOREPLACE, -1, 0);
      p.mmap(FAR + 2 * TB, TB, RW, ANON | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
      p.mmap(FAR + 4 * TB, TB, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
      each(
        () => p.mmap(0, TB, RW, ANON, -1, 0),
        () => p.mmap(FAR + 6 * TB, TB, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
        () => p.mmap(0, TB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
        () => p.mmap(0, TB, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
        () => p.mprotect(ro, TB, RW),
      );
    },
  },
  {
    // ksys_mmap_pgoff() → hugetlb_file_setup(); hugetlbfs_file_mmap() reserves huge pages unless
    // VM_NORESERVE, and there are none (vm.nr_hugepages = 0): ENOMEM without MAP_NORESERVE. With
    // it the VMA maps ("de nr ht"), KSM ignores it, a 4 KiB split is EINVAL, a touch SIGBUS.
    name: "MAP_HUGETLB | MAP_NORESERVE maps with no huge pages; without MAP_NORESERVE ENOMEM",
    errnos: ["ENOMEM", "EINVAL", "EINVAL", "EINVAL", "EFAULT", "EINVAL"],
    run(p, c) {
      const h = p.mmap(0, P, RW, ANON | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
      p.mmap(0, 3 * HUGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
      p.madvise(h, HUGE, MADV_MERGEABLE);
      p.madvise(h, P, MADV_DONTNEED);
      each(
        () => p.mmap(0, HUGE, RW, ANON | MAP_HUGETLB, -1, 0),
        () => p.mmap(0, HUGE, RW, ANON | MAP_HUGETLB | MAP_NORESERVE | (16 << 26), -1, 0),
        () => p.mmap(c + P, P, RW, ANON | MAP_HUGETLB | MAP_NORESERVE | MAP_FIXED, -1, 0),
        () => p.munmap(h, P),
        () => p.poke(h, 1),
        () => p.madvise(h, HUGE, MADV_FREE),
      );
    },
  },
  {
    // madvise_free_single_vma(): "MADV_FREE works for only anon vma at the moment"; a private
    // /dev/zero mapping is anonymous (mmap_zero(): vma_set_anonymous()).
    name: "MADV_FREE: EINVAL on shared anonymous and private file memory; 0 on private /dev/zero",
    errnos: ["EINVAL", "EINVAL"],
    run(p) {
      const shared = p.mmap(0, 4 * P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
      const z = p.open("/dev/zero", O_RDWR);
      const fd = p.open("/calls/free", O_RDWR | O_CREAT);
      p.ftruncate(fd, 4 * P);
      const priv = p.mmap(0, 4 * P, RW, MAP_PRIVATE, z, 0);
      const file = p.mmap(0, 4 * P, RW, MAP_PRIVATE, fd, 0);
      p.poke(priv, 1);
      p.madvise(priv, 4 * P, MADV_FREE);
      each(
        () => p.madvise(shared, 4 * P, MADV_FREE),
        () => p.madvise(file, 4 * P, MADV_FREE),
      );
    },
  },
  {
    // shmem_zero_setup() keeps vm_pgoff: a shared /dev/zero mapping at offset 0x2000 shows it,
    // and its last two pages lie beyond the VMA-sized shmem file (SIGBUS).
    name: "shared /dev/zero at file offset 0x2000 keeps vm_pgoff 2; pages past its shmem file SIGBUS",
    errnos: ["EFAULT"],
    run(p) {
      const z = p.open("/dev/zero", O_RDWR);
      p.mmap(0, 4 * P, RW, MAP_SHARED, z, 0);
      const b = p.mmap(0, 4 * P, RW, MAP_SHARED, z, 0x2000);
      p.poke(b, 1);
      each(() => p.poke(b + 3 * P, 1));
    },
  },
  {
    // madvise_remove(): no file EINVAL; not shared and writable (vma_is_shared_maywrite()) EACCES.
    name: "MADV_REMOVE: EACCES on private memfd and file mappings, EINVAL on anonymous, 0 shared",
    errnos: ["EACCES", "EACCES", "EINVAL"],
    run(p) {
      const m = p.memfd_create("remove");
      p.ftruncate(m, 16 * P);
      const fd = p.open("/calls/remove", O_RDWR | O_CREAT);
      p.ftruncate(fd, 4 * P);
      const priv = p.mmap(0, 4 * P, RW, MAP_PRIVATE, m, 0);
      const shared = p.mmap(0, 4 * P, RW, MAP_SHARED, m, 4 * P);
      const ro = p.mmap(0, 4 * P, PROT_READ, MAP_SHARED, m, 8 * P);
      const file = p.mmap(0, 4 * P, RW, MAP_PRIVATE, fd, 0);
      const anon = p.mmap(0, 4 * P, RW, ANON, -1, 0);
      p.madvise(shared, 4 * P, MADV_REMOVE);
      p.madvise(ro, 4 * P, MADV_REMOVE);
      each(
        () => p.madvise(priv, 4 * P, MADV_REMOVE),
        () => p.madvise(file, 4 * P, MADV_REMOVE),
        () => p.madvise(anon, 4 * P, MADV_REMOVE),
      );
    },
  },
  {
    // mm/madvise.c madvise_guard_install(): PTE_MARKER_GUARD in each page (present pages zapped);
    // an access is SIGSEGV; MADV_DONTNEED keeps the markers, MADV_GUARD_REMOVE clears them,
    // mremap moves them, fork copies them. The VMA neither splits nor stops merging.
    name: "MADV_GUARD_INSTALL: a guarded page SIGSEGVs after DONTNEED, mremap and fork; REMOVE clears it; no split",
    errnos: ["EINVAL", "EINVAL", "EFAULT", "EFAULT", "EFAULT", "EFAULT"],
    run(p, c) {
      // is_valid_guard_vma(): hugetlb EINVAL; VM_LOCKED EINVAL for an install, fine for a remove.
      const locked = p.mmap(0, P, RW, ANON | MAP_LOCKED, -1, 0);
      const huge = p.mmap(0, HUGE, RW, ANON | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
      each(
        () => p.madvise(locked, P, MADV_GUARD_INSTALL),
        () => p.madvise(huge, HUGE, MADV_GUARD_INSTALL),
      );
      p.madvise(locked, P, MADV_GUARD_REMOVE);
      p.mmap(c + P, 3 * P, RW, ANON | MAP_FIXED, -1, 0);
      p.poke(c + 2 * P, 7);
      p.madvise(c + 2 * P, P, MADV_GUARD_INSTALL);
      p.mmap(c + 4 * P, P, RW, ANON | MAP_FIXED, -1, 0);   // joins the guarded VMA
      each(() => p.poke(c + 2 * P, 1));
      p.madvise(c + P, 4 * P, MADV_DONTNEED);
      each(() => p.poke(c + 2 * P, 1));
      p.mremap(c + P, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, c + 8 * P);
      each(() => p.poke(c + 9 * P, 1));
      const child = p.fork();
      each(() => child.poke(c + 9 * P, 1));
      p.madvise(c + 8 * P, 4 * P, MADV_GUARD_REMOVE);
      p.poke(c + 9 * P, 1);
    },
  },
  {
    // 6.15-6.18.36 madvise_guard_install() calls anon_vma_prepare() for every VMA: two file VMAs
    // whose flags differed then (anon_vma_compatible() false) get different anon_vmas, and do not
    // merge once the flags match again. 6.18.37+ and 6.19 prepare only anonymous VMAs: they merge.
    name: "MADV_GUARD_INSTALL on private file mappings: no anon_vma (6.18.37+), so they merge again",
    errnos: [],
    run: (p, c) => guardFileHalves(p, c, "/calls/guard"),
  },
  {
    // mm/mseal.c do_mseal(): flags must be 0, start aligned, the range mapped (ENOMEM before any
    // change). A sealed VMA ("sl"): munmap and mremap EPERM; mprotect_fixup() EPERM after the
    // piece before it changed; can_madvise_modify(): DONTNEED EPERM on read-only anonymous only.
    name: "mseal: EINVAL/ENOMEM arguments; sealed VMAs refuse munmap, mremap, mprotect (partly done), RO DONTNEED",
    errnos: ["EINVAL", "EINVAL", "ENOMEM", "EPERM", "EPERM", "EPERM", "EPERM"],
    run(p, c) {
      p.mmap(c + P, 3 * P, RW, ANON | MAP_FIXED, -1, 0);
      p.mmap(c + 6 * P, P, PROT_READ, ANON | MAP_FIXED, -1, 0);
      p.munmap(c + 4 * P, 2 * P);
      each(
        () => p.mseal(c + 2 * P, P, 1),
        () => p.mseal(c + 2 * P + 1, P, 0),
        () => p.mseal(c + 3 * P, 4 * P, 0),   // hole at page 4
      );
      p.mseal(c + 2 * P, P, 0);
      p.mseal(c + 6 * P, P, 0);
      p.madvise(c + 2 * P, P, MADV_DONTNEED);
      each(
        () => p.munmap(c + P, 3 * P),
        () => p.mremap(c + 2 * P, P, 2 * P, MREMAP_MAYMOVE, 0),
        () => p.mprotect(c + P, 3 * P, PROT_READ),
        () => p.madvise(c + 6 * P, P, MADV_DONTNEED),
      );
    },
  },
  {
    // mm/mlock.c apply_vma_lock_flags() → mlock_fixup() → vma_modify_flags(): "lo" and "lo lf"
    // pieces split off and merge back on munlock(). An unaligned range rounds out to pages; a hole
    // is ENOMEM after the VMAs before it were locked (unpopulated); an unmapped start ENOMEM at
    // once; a wrapping range EINVAL. PROT_NONE gets "lo", then __mm_populate() EFAULT → ENOMEM.
    name: "mlock/mlock2(MLOCK_ONFAULT)/munlock: lo and lo lf pieces split and merge back; holes ENOMEM",
    errnos: ["EINVAL", "ENOMEM", "ENOMEM", "EINVAL", "ENOMEM"],
    run(p) {
      const a = p.mmap(0, 8 * P, RW, ANON, -1, 0);
      p.poke(a + 7 * P, 1);
      p.mlock(a + 2 * P, 2 * P);
      p.mlock2(a + 4 * P, 2 * P, MLOCK_ONFAULT);
      p.mlock(a + P + 100, 10);
      each(() => p.mlock2(a, P, 2));
      p.munlock(a, 8 * P);
      p.munmap(a + 5 * P, P);
      const ro = p.mmap(0, 4 * P, PROT_READ, ANON, -1, 0);
      p.mlock(ro, 4 * P);
      const pn = p.mmap(0, 4 * P, PROT_NONE, ANON, -1, 0);
      each(
        () => p.mlock(a, 8 * P),
        () => p.munlock(a + 5 * P, P),
        () => p.mlock(2 ** 64 - P, 2 * P),
        () => p.mlock(pn, 4 * P),
      );
      p.mprotect(pn, 4 * P, RW);
      p.munlock(a, 5 * P);
    },
  },
  {
    // mm/madvise.c madvise_populate() → faultin_page_range(): no VMA ENOMEM (after populating the
    // pages before it), an access check_vma_flags() refuses EINVAL, a SIGBUS EFAULT.
    name: "MADV_POPULATE_READ/WRITE: EINVAL read-only or PROT_NONE, ENOMEM at a hole, EFAULT past a shmem file",
    errnos: ["EINVAL", "EINVAL", "ENOMEM", "EINVAL", "EFAULT"],
    run(p) {
      const b = p.mmap(0, 8 * P, RW, ANON, -1, 0);
      p.madvise(b, 2 * P, MADV_POPULATE_READ);
      p.madvise(b + 2 * P, 2 * P, MADV_POPULATE_WRITE);
      const ro = p.mmap(0, 4 * P, PROT_READ, ANON, -1, 0);
      p.madvise(ro, 4 * P, MADV_POPULATE_READ);
      const pn = p.mmap(0, 4 * P, PROT_NONE, ANON, -1, 0);
      p.munmap(b + 5 * P, P);
      const z = p.open("/dev/zero", O_RDWR);
      const zs = p.mmap(0, 4 * P, RW, MAP_SHARED, z, 0x2000);
      const fd = p.open("/calls/populate", O_RDWR | O_CREAT);
      p.ftruncate(fd, 4 * P);
      const fp = p.mmap(0, 4 * P, RW, MAP_PRIVATE, fd, 0);
      p.madvise(fp, 4 * P, MADV_POPULATE_WRITE);
      each(
        () => p.madvise(ro, 4 * P, MADV_POPULATE_WRITE),
        () => p.madvise(pn, 4 * P, MADV_POPULATE_READ),
        () => p.madvise(b + 4 * P, 4 * P, MADV_POPULATE_WRITE),
        () => p.madvise(b + 1, P, MADV_POPULATE_WRITE),
        () => p.madvise(zs, 4 * P, MADV_POPULATE_WRITE),
      );
    },
  },
  {
    // selftests/mm/merge.c merge_vmas_with_mseal (7.1), with a third RWX VMA: mseal_apply() of
    // 6.17-6.18.20 and 6.19.0 carries a stale curr_start after the first merge, and the third VMA
    // stays apart; with 2697dd8ae721 (6.18.21, 7.0) all three become one sealed VMA.
    name: "mseal merges: sealing RWX | RWX sealed | RWX gives one sealed VMA (2697dd8ae721)",
    errnos: [],
    run: sealThreeRwx,
  },
  {
    // mm/mprotect.c do_mprotect_pkey(): PROT_GROWSDOWN moves start down to the vm_start of the
    // first VMA in the range, which must be VM_GROWSDOWN; PROT_GROWSUP is EINVAL on x86 (no VM_GROWSUP).
    name: "mprotect PROT_GROWSDOWN extends to vm_start of a VM_GROWSDOWN VMA; EINVAL otherwise and for PROT_GROWSUP",
    errnos: ["EINVAL", "EINVAL", "EINVAL", "ENOMEM"],
    run(p, c) {
      const g = p.mmap(c + 8 * P, 4 * P, RW, ANON | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
      const b = p.mmap(0, 4 * P, RW, ANON, -1, 0);
      p.mprotect(g + 2 * P, P, PROT_READ | PROT_GROWSDOWN);
      p.munmap(g - 2 * P, 2 * P);
      p.mprotect(g - 2 * P, 3 * P, RW | PROT_GROWSDOWN);
      each(
        () => p.mprotect(b, P, PROT_READ | PROT_GROWSDOWN),
        () => p.mprotect(g, P, PROT_READ | PROT_GROWSUP),
        () => p.mprotect(b + P, P, PROT_READ | PROT_GROWSUP),
        () => p.mprotect(g - 2 * P, P, PROT_READ | PROT_GROWSDOWN),
      );
    },
  },
  {
    // mm/memfd.c memfd_add_seals(): EPERM without MFD_ALLOW_SEALING (F_SEAL_SEAL) and after
    // F_SEAL_SEAL, EBUSY for F_SEAL_WRITE while mapped shared writable (mapping_deny_writable()),
    // EINVAL for unknown seals and non-shmem files; check_write_seal(): EPERM for a new shared
    // writable map, no "mw" on a shared read-only one (mprotect EACCES); shmem_setattr() EPERM.
    name: "memfd seals: F_SEAL_WRITE/FUTURE_WRITE EPERM shared writable maps, no mw (mprotect EACCES), EBUSY; SHRINK/GROW",
    errnos: ["EPERM", "EBUSY", "EPERM", "EACCES", "EPERM", "EINVAL", "EPERM", "EPERM", "EPERM", "EACCES", "EBUSY",
      "EPERM", "EINVAL", "EBADF", "EINVAL", "EINVAL"],
    run(p) {
      const a = p.memfd_create("noseal", 0);
      each(() => p.fcntl(a, F_ADD_SEALS, F_SEAL_WRITE));
      p.fcntl(a, F_GET_SEALS);
      const b = p.memfd_create("seal", MFD_ALLOW_SEALING);
      p.ftruncate(b, 4 * P);
      const w = p.mmap(0, P, RW, MAP_SHARED, b, 0);
      each(() => p.fcntl(b, F_ADD_SEALS, F_SEAL_WRITE));
      p.munmap(w, P);
      p.mmap(0, P, RW, MAP_PRIVATE, b, 0);
      p.fcntl(b, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK);
      p.fcntl(b, F_GET_SEALS);
      const r = p.mmap(0, P, PROT_READ, MAP_SHARED, b, 0);
      each(
        () => p.mmap(0, P, RW, MAP_SHARED, b, 0),
        () => p.mprotect(r, P, RW),
        () => p.ftruncate(b, 2 * P),
        () => p.fcntl(b, F_ADD_SEALS, 0x40),
      );
      p.ftruncate(b, 8 * P);
      p.fcntl(b, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SEAL);
      each(() => p.ftruncate(b, 16 * P), () => p.fcntl(b, F_ADD_SEALS, F_SEAL_EXEC));
      const d = p.memfd_create("future", MFD_ALLOW_SEALING);
      p.ftruncate(d, P);
      const dw = p.mmap(0, P, RW, MAP_SHARED, d, 0);
      p.fcntl(d, F_ADD_SEALS, F_SEAL_FUTURE_WRITE);
      p.poke(dw, 1);
      const dr = p.mmap(0, P, PROT_READ, MAP_SHARED, d, 0);
      each(() => p.mmap(0, P, RW, MAP_SHARED, d, 0), () => p.mprotect(dr, P, RW));
      const x = p.memfd_create("exec", MFD_ALLOW_SEALING);
      p.ftruncate(x, P);
      const xw = p.mmap(0, P, RW, MAP_SHARED, x, 0);
      each(() => p.fcntl(x, F_ADD_SEALS, F_SEAL_EXEC));
      p.munmap(xw, P);
      p.fcntl(x, F_ADD_SEALS, F_SEAL_EXEC);
      p.fcntl(x, F_GET_SEALS);
      const t = p.open("/dev/shm/seal", O_RDWR | O_CREAT);
      const e = p.open("/calls/seal", O_RDWR | O_CREAT);
      p.fcntl(t, F_GET_SEALS);
      each(() => p.fcntl(t, F_ADD_SEALS, F_SEAL_WRITE), () => p.fcntl(e, F_GET_SEALS), () => p.fcntl(42, F_GET_SEALS));
      p.fcntl(p.memfd_create("noexec", MFD_NOEXEC_SEAL), F_GET_SEALS);
      each(() => p.memfd_create("x", MFD_EXEC | MFD_NOEXEC_SEAL), () => p.memfd_create("x", 0x1000));
    },
  },
  {
    // mm/mlock.c SYSCALL_DEFINE1(mlockall): no flags, MCL_ONFAULT alone or unknown bits EINVAL;
    // apply_mlockall_flags(): MCL_FUTURE puts VM_LOCKED (| VM_LOCKONFAULT) in mm->def_flags, so
    // later mmap() and brk() VMAs get "lo" ("lo lf"); munlockall() unlocks every VMA and clears it.
    name: "mlockall(MCL_FUTURE [| MCL_ONFAULT]): later mappings get lo / lo lf; munlockall clears; bad flags EINVAL",
    errnos: ["EINVAL", "EINVAL", "EINVAL"],
    run(p) {
      each(() => p.mlockall(0), () => p.mlockall(MCL_ONFAULT), () => p.mlockall(8));
      p.mlockall(MCL_FUTURE | MCL_ONFAULT);
      p.mmap(0, 4 * P, RW, ANON, -1, 0);
      p.mlockall(MCL_FUTURE);
      const b = p.mmap(0, 4 * P, RW, ANON, -1, 0);
      p.mmap(b - 4 * P, 4 * P, PROT_READ, ANON | MAP_FIXED_NOREPLACE, -1, 0);
      p.brk(p.brk(0) + P);
      p.munlockall();
      p.mmap(0, 4 * P, RW, ANON, -1, 0);
    },
  },
  {
    // mm/mremap.c dontunmap_complete(): "We always clear VM_LOCKED[ONFAULT] on the old VMA", the
    // whole VMA holding the old range (found by the fuzzer once it made mlock() calls).
    name: "mremap(MREMAP_DONTUNMAP) of a locked range clears lo on the whole old VMA; the moved copy keeps it",
    errnos: [],
    run(p, c) {
      p.mmap(c + 2 * P, 6 * P, RW, ANON | MAP_FIXED, -1, 0);
      p.mlock(c + 2 * P, 6 * P);
      p.mremap(c + 4 * P, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, c + 10 * P);
      p.mremap(c + 10 * P, 2 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED, c + 12 * P);
    },
  },
];
