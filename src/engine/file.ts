/**
 * Files a scenario can map, and the file_operations that decide how mmap() treats them.
 *
 * A `File` is an open file description (`struct file`): two open()s of one path give two Files,
 * and VMAs of different Files never merge (is_mergeable_vma() compares vm_file pointers).
 * @module
 */
import type { VersionProfile } from "./version.ts";

/** What backs an inode: decides its file_operations. */
export type FileKind =
  | "ext4" // regular file on ext4
  | "tmpfs" // shmem file on tmpfs, e.g. /dev/shm/NAME
  | "memfd" // memfd_create(): a shmem file
  | "shmem-anon" // the file shmem_zero_setup() creates for MAP_SHARED|MAP_ANONYMOUS and shared /dev/zero
  | "devzero" // /dev/zero (drivers/char/mem.c)
  | "hugetlb" // the unlinked hugetlbfs file of an anonymous MAP_HUGETLB mapping
  | "device"; // a driver mapping I/O memory with remap_pfn_range(): VM_IO | VM_PFNMAP

/** An inode: identity of the data, with what /proc/PID/maps prints for it. */
export interface Inode {
  readonly ino: number;
  readonly dev: readonly [number, number];
  /** d_path() of the file, as maps prints it. */
  path: string;
  readonly kind: FileKind;
  /** i_size in bytes. */
  size: number;
  /** hugetlbfs: the huge page size of the file's hstate. */
  readonly hugePageSize?: number;
  /** shmem_inode_info->seals (F_SEAL_*) of a memfd or tmpfs file; undefined: the file cannot have seals. */
  seals?: number;
  /** i_mode & 0111 (a memfd has it unless MFD_NOEXEC_SEAL): F_SEAL_EXEC then implies the write seals. */
  exec?: boolean;
}

/** An open file description (`struct file`). */
export interface File {
  readonly id: number;
  readonly inode: Inode;
  readonly readable: boolean;
  readonly writable: boolean;
}

/** The parts of `struct file_operations` the mmap path looks at, for one kernel version. */
export interface FileOps {
  /** f_op->mmap_prepare (6.16+): runs before the merge attempt, on a descriptor. */
  readonly mmapPrepare: boolean;
  /** shmem_file(): the 6.17 can_set_ksm_flags_early() treats shmem as safe. */
  readonly isShmem: boolean;
  /** f_op->mmap or ->mmap_prepare exists at all (else do_mmap() returns ENODEV). */
  readonly canMmap: boolean;
  /** Name of the hook, for explanations. */
  readonly hook: string;
}

/** The file_operations of `kind` in kernel `v`. */
export function fileOps(kind: FileKind, v: VersionProfile): FileOps {
  switch (kind) {
    case "ext4":
      // fs/ext4/file.c: ext4_file_mmap() until the mmap_prepare conversion (6.17), then ext4_file_mmap_prepare().
      return v.ext4MmapPrepare
        ? { mmapPrepare: true, isShmem: false, canMmap: true, hook: "ext4_file_mmap_prepare" }
        : { mmapPrepare: false, isShmem: false, canMmap: true, hook: "ext4_file_mmap" };
    case "tmpfs":
    case "memfd":
    case "shmem-anon":
      // mm/shmem.c: shmem_mmap() (legacy .mmap through 6.18); shmem_file() is true.
      return { mmapPrepare: false, isShmem: true, canMmap: true, hook: "shmem_mmap" };
    case "devzero":
      // drivers/char/mem.c: mmap_zero(): shared → shmem_zero_setup(), private → vma_set_anonymous().
      return { mmapPrepare: false, isShmem: false, canMmap: true, hook: "mmap_zero" };
    case "hugetlb":
      // fs/hugetlbfs/inode.c: hugetlbfs_file_mmap(), a legacy .mmap through 6.18.
      return { mmapPrepare: false, isShmem: false, canMmap: true, hook: "hugetlbfs_file_mmap" };
    case "device":
      // A typical driver: remap_pfn_range() in its .mmap sets VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP.
      return { mmapPrepare: false, isShmem: false, canMmap: true, hook: "drv_mmap (remap_pfn_range)" };
  }
}

/** ext4_max_size() (fs/ext4/super.c) for 4 KiB blocks with extents: (2^32 - 1) blocks. */
const EXT4_MAX_BYTES = (2 ** 32 - 1) * 4096;
/** MAX_LFS_FILESIZE (include/linux/fs.h): LLONG_MAX, the s_maxbytes of tmpfs (shmem_fill_super()). */
const MAX_LFS_FILESIZE = 2 ** 63 - 1;

/** sb->s_maxbytes of the file system holding a `kind` inode; 0 for what is not a regular file (S_ISREG). */
export function sMaxBytes(kind: FileKind): number {
  switch (kind) {
    case "ext4": return EXT4_MAX_BYTES;
    case "tmpfs": case "memfd": case "shmem-anon": case "hugetlb": return MAX_LFS_FILESIZE;
    case "devzero": case "device": return 0;
  }
}
