/**
 * Anonymous MAP_HUGETLB mappings (mm/mmap.c ksys_mmap_pgoff(), fs/hugetlbfs/inode.c
 * hugetlb_file_setup(), hugetlbfs_file_mmap(), hugetlb_get_unmapped_area(); read in 6.18.2).
 * The engine's kernel has no huge page pool (vm.nr_hugepages = 0, as on the machine the tests run
 * on): a mapping needs MAP_NORESERVE, and its first access is a SIGBUS.
 * @module
 */
import { fail } from "./errno.ts";
import type { File } from "./file.ts";
import type { Host } from "./host.ts";
import { MAP_HUGETLB } from "./uapi.ts";

/** include/uapi/asm-generic/hugetlb_encode.h: the huge page size log sits at bit 26. */
const MAP_HUGE_SHIFT = 26;
const MAP_HUGE_MASK = 0x3f;

/**
 * hstate_sizelog(): the hstate of a MAP_HUGE_* size log (0: the default, 2 MiB on x86-64).
 * x86-64 registers 2 MiB and, with gbpages (every current CPU), 1 GiB; other sizes are EINVAL.
 */
function hugePageSize(flags: number): number | null {
  const log = (flags >>> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
  if (log === 0 || log === 21) return 2 ** 21;
  return log === 30 ? 2 ** 30 : null;
}

/**
 * ksys_mmap_pgoff(): MAP_HUGETLB on a file that is not on hugetlbfs is EINVAL; on anonymous memory
 * it sets up an unlinked hugetlbfs file of the length rounded up to the huge page size.
 * @returns the file and the rounded length, or null when `flags` has no MAP_HUGETLB.
 */
export function hugetlbSetup(k: Host<unknown>, file: File | null, flags: number,
  len: number): { file: File; len: number } | null {
  if (!(flags & MAP_HUGETLB)) return null;
  if (file) fail("EINVAL", "mmap", `MAP_HUGETLB on ${file.inode.path}, which is not a hugetlbfs file`);
  const size = hugePageSize(flags);
  if (size === null) fail("EINVAL", "mmap",
    `MAP_HUGETLB with huge page size log ${(flags >>> MAP_HUGE_SHIFT) & MAP_HUGE_MASK}` +
    `: no such hstate (x86-64 has 2 MiB and 1 GiB)`);
  const rounded = Math.ceil(len / size) * size;
  return { file: k.vfs.hugetlbFile(rounded, size), len: rounded };
}
