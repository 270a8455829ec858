/**
 * Userspace ABI constants for x86-64, with the values of include/uapi/asm-generic/mman-common.h,
 * include/uapi/linux/mman.h, include/uapi/linux/prctl.h and fcntl.h.
 * @module
 */

/** Base page size on x86-64. */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
/** arch/x86/include/asm/page_64_types.h: TASK_SIZE_MAX for 4-level paging = (1 << 47) - PAGE_SIZE. */
export const TASK_SIZE = 0x7ffffffff000;
/** Default vm.mmap_min_addr on distro kernels. */
export const MMAP_MIN_ADDR = 0x10000;
/** Default vm.max_map_count: USHRT_MAX - MAPCOUNT_ELF_CORE_MARGIN (5). */
export const DEFAULT_MAX_MAP_COUNT = 65530;

export const PROT_NONE = 0x0;
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const PROT_EXEC = 0x4;
export const PROT_GROWSDOWN = 0x01000000;
export const PROT_GROWSUP = 0x02000000;

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_DROPPABLE = 0x08;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_ANON = MAP_ANONYMOUS;
export const MAP_GROWSDOWN = 0x0100;
export const MAP_DENYWRITE = 0x0800;
export const MAP_EXECUTABLE = 0x1000;
export const MAP_LOCKED = 0x2000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_NONBLOCK = 0x10000;
export const MAP_STACK = 0x20000;
export const MAP_HUGETLB = 0x40000;
export const MAP_SYNC = 0x80000;
export const MAP_FIXED_NOREPLACE = 0x100000;
export const MAP_UNINITIALIZED = 0x4000000;
/** Returned by mmap() on failure in C; the engine throws instead. */
export const MAP_FAILED = -1;

export const MADV_NORMAL = 0;
export const MADV_RANDOM = 1;
export const MADV_SEQUENTIAL = 2;
export const MADV_WILLNEED = 3;
export const MADV_DONTNEED = 4;
export const MADV_FREE = 8;
export const MADV_REMOVE = 9;
export const MADV_DONTFORK = 10;
export const MADV_DOFORK = 11;
export const MADV_MERGEABLE = 12;
export const MADV_UNMERGEABLE = 13;
export const MADV_HUGEPAGE = 14;
export const MADV_NOHUGEPAGE = 15;
export const MADV_DONTDUMP = 16;
export const MADV_DODUMP = 17;
export const MADV_WIPEONFORK = 18;
export const MADV_KEEPONFORK = 19;
export const MADV_COLD = 20;
export const MADV_PAGEOUT = 21;
export const MADV_POPULATE_READ = 22;
export const MADV_POPULATE_WRITE = 23;
/** Guard regions, 6.13+ (include/uapi/asm-generic/mman-common.h). */
export const MADV_GUARD_INSTALL = 102;
export const MADV_GUARD_REMOVE = 103;

/** mlock2() flags (include/uapi/asm-generic/mman-common.h). */
export const MLOCK_ONFAULT = 0x01;
/** mlockall() flags (include/uapi/asm-generic/mman.h). */
export const MCL_CURRENT = 1;
export const MCL_FUTURE = 2;
export const MCL_ONFAULT = 4;

export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP_DONTUNMAP = 4;

export const PR_SET_VMA = 0x53564d41;
export const PR_SET_VMA_ANON_NAME = 0;
export const PR_SET_MEMORY_MERGE = 67;
export const PR_GET_MEMORY_MERGE = 68;

export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_ACCMODE = 0o3;
export const O_CREAT = 0o100;
export const O_TRUNC = 0o1000;

export const MFD_CLOEXEC = 0x1;
export const MFD_ALLOW_SEALING = 0x2;
export const MFD_HUGETLB = 0x4;
export const MFD_NOEXEC_SEAL = 0x8;
export const MFD_EXEC = 0x10;

/** fcntl() commands for memfd seals (include/uapi/linux/fcntl.h: F_LINUX_SPECIFIC_BASE + 9, + 10). */
export const F_ADD_SEALS = 1033;
export const F_GET_SEALS = 1034;
export const F_SEAL_SEAL = 0x0001;
export const F_SEAL_SHRINK = 0x0002;
export const F_SEAL_GROW = 0x0004;
export const F_SEAL_WRITE = 0x0008;
export const F_SEAL_FUTURE_WRITE = 0x0010;
export const F_SEAL_EXEC = 0x0020;

/** Symbolic names, for strace-like step text. */
export const PROT_NAMES: ReadonlyArray<[number, string]> = [
  [PROT_READ, "PROT_READ"], [PROT_WRITE, "PROT_WRITE"], [PROT_EXEC, "PROT_EXEC"],
  [PROT_GROWSDOWN, "PROT_GROWSDOWN"], [PROT_GROWSUP, "PROT_GROWSUP"],
];
export const MAP_FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [MAP_FIXED, "MAP_FIXED"], [MAP_ANONYMOUS, "MAP_ANONYMOUS"], [MAP_GROWSDOWN, "MAP_GROWSDOWN"],
  [MAP_DENYWRITE, "MAP_DENYWRITE"], [MAP_EXECUTABLE, "MAP_EXECUTABLE"], [MAP_LOCKED, "MAP_LOCKED"],
  [MAP_NORESERVE, "MAP_NORESERVE"], [MAP_POPULATE, "MAP_POPULATE"], [MAP_NONBLOCK, "MAP_NONBLOCK"],
  [MAP_STACK, "MAP_STACK"], [MAP_HUGETLB, "MAP_HUGETLB"], [MAP_SYNC, "MAP_SYNC"],
  [MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"], [MAP_UNINITIALIZED, "MAP_UNINITIALIZED"],
];
export const MAP_TYPE_NAMES: Readonly<Record<number, string>> = {
  [MAP_SHARED]: "MAP_SHARED", [MAP_PRIVATE]: "MAP_PRIVATE", [MAP_SHARED_VALIDATE]: "MAP_SHARED_VALIDATE",
  [MAP_DROPPABLE]: "MAP_DROPPABLE",
};
export const MADV_NAMES: Readonly<Record<number, string>> = {
  0: "MADV_NORMAL", 1: "MADV_RANDOM", 2: "MADV_SEQUENTIAL", 3: "MADV_WILLNEED", 4: "MADV_DONTNEED",
  8: "MADV_FREE", 9: "MADV_REMOVE", 10: "MADV_DONTFORK", 11: "MADV_DOFORK", 12: "MADV_MERGEABLE",
  13: "MADV_UNMERGEABLE", 14: "MADV_HUGEPAGE", 15: "MADV_NOHUGEPAGE", 16: "MADV_DONTDUMP",
  17: "MADV_DODUMP", 18: "MADV_WIPEONFORK", 19: "MADV_KEEPONFORK", 20: "MADV_COLD", 21: "MADV_PAGEOUT",
  102: "MADV_GUARD_INSTALL", 103: "MADV_GUARD_REMOVE",
  22: "MADV_POPULATE_READ", 23: "MADV_POPULATE_WRITE",
};
export const SEAL_NAMES: ReadonlyArray<[number, string]> = [
  [F_SEAL_SEAL, "F_SEAL_SEAL"], [F_SEAL_SHRINK, "F_SEAL_SHRINK"], [F_SEAL_GROW, "F_SEAL_GROW"],
  [F_SEAL_WRITE, "F_SEAL_WRITE"], [F_SEAL_FUTURE_WRITE, "F_SEAL_FUTURE_WRITE"], [F_SEAL_EXEC, "F_SEAL_EXEC"],
];
