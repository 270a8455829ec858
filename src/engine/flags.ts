/**
 * VMA flag bits on x86-64 (include/linux/mm.h), as 64-bit `bigint`s.
 *
 * JavaScript's bitwise operators on numbers are 32-bit, and bits 32..63 hold real flags
 * (pkeys, VM_SHADOW_STACK, VM_DROPPABLE, VM_SEALED), so a flag word (VmFlags, the VM_* constants,
 * Vma.flags) is a bigint: no bit is ever silently lost. Values hold for 6.1..6.18 unless a
 * comment says otherwise.
 * A Vma stores its vm_flags as two int32 words, flagsLo (bits 0..31) and flagsHi (32..63), and
 * the syscall paths (mmap, mprotect, munmap, split, the merge predicates, ksm_vma_flags(), ksmd's
 * VMA walk) test them with the *_LO / *_HI masks below: on Node 20's V8 a BigInt operation
 * allocates, and a bigint per VMA is one more heap object to reach (measured: about 20% of the
 * time per call, and a third of the bytes allocated). Vma.flags converts to and from a bigint for
 * everything else. Bit 31 (VM_MERGEABLE) and bit 63 (VM_SEALED) are the sign bits of their
 * words: test with `!== 0`, never `> 0`.
 * In bigint code, test bits with hasAny(), not `if (flags & MASK)`: V8 compiles a comparison of
 * a BigInt bit expression with a constant to plain 64-bit arithmetic, while a BigInt used as a
 * boolean is first allocated.
 * @module
 */

export type VmFlags = bigint;

export const VM_NONE = 0n;
export const VM_READ = 1n << 0n;
export const VM_WRITE = 1n << 1n;
export const VM_EXEC = 1n << 2n;
export const VM_SHARED = 1n << 3n;
export const VM_MAYREAD = 1n << 4n;
export const VM_MAYWRITE = 1n << 5n;
export const VM_MAYEXEC = 1n << 6n;
export const VM_MAYSHARE = 1n << 7n;
export const VM_GROWSDOWN = 1n << 8n;
export const VM_UFFD_MISSING = 1n << 9n;
export const VM_PFNMAP = 1n << 10n;
/** 6.19+, 6.18.37+: the VMA may hold guard-region PTE markers (MADV_GUARD_INSTALL); bit 11 is unused before. */
export const VM_MAYBE_GUARD = 1n << 11n;
export const VM_UFFD_WP = 1n << 12n;
export const VM_LOCKED = 1n << 13n;
export const VM_IO = 1n << 14n;
export const VM_SEQ_READ = 1n << 15n;
export const VM_RAND_READ = 1n << 16n;
export const VM_DONTCOPY = 1n << 17n;
export const VM_DONTEXPAND = 1n << 18n;
export const VM_LOCKONFAULT = 1n << 19n;
export const VM_ACCOUNT = 1n << 20n;
export const VM_NORESERVE = 1n << 21n;
export const VM_HUGETLB = 1n << 22n;
export const VM_SYNC = 1n << 23n;
export const VM_ARCH_1 = 1n << 24n; // x86: VM_PAT
export const VM_WIPEONFORK = 1n << 25n;
export const VM_DONTDUMP = 1n << 26n;
export const VM_SOFTDIRTY = 1n << 27n; // CONFIG_MEM_SOFT_DIRTY=y, as on distro kernels
export const VM_MIXEDMAP = 1n << 28n;
export const VM_HUGEPAGE = 1n << 29n;
export const VM_NOHUGEPAGE = 1n << 30n;
/**
 * KSM may scan this VMA. An `unsigned int` until "mm/ksm: fix flag-dropping behavior in ksm_madvise" (6.18),
 * then BIT(31).
 */
export const VM_MERGEABLE = 1n << 31n;
export const VM_PKEY_BIT0 = 1n << 32n;
export const VM_PKEY_BIT1 = 1n << 33n;
export const VM_PKEY_BIT2 = 1n << 34n;
export const VM_PKEY_BIT3 = 1n << 35n;
/** x86 user shadow stack, 6.6+. */
export const VM_SHADOW_STACK = 1n << 37n;
/** MAP_DROPPABLE, 6.11+ (mm.h: VM_DROPPABLE = VM_HIGH_ARCH_8 on 64-bit). */
export const VM_DROPPABLE = 1n << 40n;
/** mseal(), 6.10+. */
export const VM_SEALED = 1n << 63n;

/** include/linux/mm.h: VMAs with these bits are never merged and never KSM-compatible. */
export const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
export const VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;
export const VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;
/** 6.19+, 6.18.37+ include/linux/mm.h: flags a merge keeps if either side has them; VM_IGNORE_MERGE is the same set. */
export const VM_STICKY = VM_SOFTDIRTY | VM_MAYBE_GUARD;
export const VM_PKEY_MASK = VM_PKEY_BIT0 | VM_PKEY_BIT1 | VM_PKEY_BIT2 | VM_PKEY_BIT3;
/** arch/x86/include/asm/page_types.h: VM_DATA_DEFAULT_FLAGS = VM_DATA_FLAGS_TSK_EXEC (no READ_IMPLIES_EXEC). */
export const VM_DATA_DEFAULT_FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
/** include/linux/mm.h: VM_STACK_FLAGS = VM_GROWSDOWN | VM_STACK_DEFAULT_FLAGS | VM_ACCOUNT. */
export const VM_STACK_FLAGS = VM_GROWSDOWN | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT;

/**
 * The two 32-bit words of a flag word, each a signed int32, so that V8 keeps it as a small
 * integer inside the object (Node; Chrome's 31-bit small integers box a low word with bit 30 or
 * 31 set, which is slower but exact) and `|`, `&`, `^`, `~` on it never allocate.
 */
export const lo32 = (f: VmFlags): number => Number(BigInt.asIntN(32, f));
export const hi32 = (f: VmFlags): number => Number(BigInt.asIntN(32, f >> 32n));
/** The bigint word of two halves (cold paths: traces, /proc, explanations). */
export const join32 = (lo: number, hi: number): VmFlags => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
/** A flag word as the { flagsLo, flagsHi } fields of a Vma or VmaMergeStruct (cold callers: tests, the analyser). */
export const flagWords = (f: VmFlags): { flagsLo: number; flagsHi: number } => ({ flagsLo: lo32(f), flagsHi: hi32(f) });

// Low-word (bits 0..31) masks of the flags the hot paths test.
export const VM_READ_LO = lo32(VM_READ);
export const VM_WRITE_LO = lo32(VM_WRITE);
export const VM_EXEC_LO = lo32(VM_EXEC);
export const VM_SHARED_LO = lo32(VM_SHARED);
export const VM_MAYSHARE_LO = lo32(VM_MAYSHARE);
export const VM_MAYWRITE_LO = lo32(VM_MAYWRITE);
export const VM_MAY_RWX_LO = lo32(VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC);
export const VM_GROWSDOWN_LO = lo32(VM_GROWSDOWN);
export const VM_LOCKED_LO = lo32(VM_LOCKED);
export const VM_SYNC_LO = lo32(VM_SYNC);
export const VM_NOHUGEPAGE_LO = lo32(VM_NOHUGEPAGE);
export const VM_ACCOUNT_LO = lo32(VM_ACCOUNT);
export const VM_NORESERVE_LO = lo32(VM_NORESERVE);
export const VM_HUGETLB_LO = lo32(VM_HUGETLB);
export const VM_SOFTDIRTY_LO = lo32(VM_SOFTDIRTY);
export const VM_MAYBE_GUARD_LO = lo32(VM_MAYBE_GUARD);
export const VM_STICKY_LO = lo32(VM_STICKY);
export const VM_MERGEABLE_LO = lo32(VM_MERGEABLE);
export const VM_SPECIAL_LO = lo32(VM_SPECIAL);
export const VM_ACCESS_FLAGS_LO = lo32(VM_ACCESS_FLAGS);
export const VM_LOCKED_MASK_LO = lo32(VM_LOCKED_MASK);
export const VM_WIPEONFORK_DONTDUMP_LO = lo32(VM_WIPEONFORK | VM_DONTDUMP);
// High-word (bits 32..63) masks.
export const VM_DROPPABLE_HI = hi32(VM_DROPPABLE);
/** Bit 63: the sign bit of the high word. */
export const VM_SEALED_HI = hi32(VM_SEALED);

const U64 = (1n << 64n) - 1n;

/** Set bits of `a` minus those of `b`, over the full 64-bit width (a BigInt's ~b has every higher bit set). */
export function clearFlags(a: VmFlags, b: VmFlags): VmFlags {
  return a & ~b;
}

/** ~VM_IGNORE_MERGE. VM_MAYBE_GUARD is never set before 6.18.37/6.19, so ignoring it there changes nothing. */
const NOT_IGNORE_MERGE = ~VM_STICKY & U64;

/**
 * is_mergeable_vma()'s comparison: the bits in which a and b differ, VM_SOFTDIRTY ignored
 * (6.18.37+, 6.19+: VM_IGNORE_MERGE = VM_SOFTDIRTY | VM_MAYBE_GUARD).
 */
export function mergeFlagDiff(a: VmFlags, b: VmFlags): VmFlags {
  if (a === b) return 0n; // the usual case, without allocating a BigInt
  return (a ^ b) & NOT_IGNORE_MERGE;
}

/** Does `a` have any bit of `b`? (A comparison, so that no BigInt is allocated: see the module doc.) */
export function hasAny(a: VmFlags, b: VmFlags): boolean {
  return (a & b) !== 0n;
}

export function hex(flags: VmFlags): string {
  return "0x" + flags.toString(16);
}

/** Names of the set bits, for explanations ("VM_MERGEABLE", "VM_ACCOUNT"). */
export const FLAG_NAMES: ReadonlyArray<[VmFlags, string]> = [
  [VM_READ, "VM_READ"], [VM_WRITE, "VM_WRITE"], [VM_EXEC, "VM_EXEC"], [VM_SHARED, "VM_SHARED"],
  [VM_MAYREAD, "VM_MAYREAD"], [VM_MAYWRITE, "VM_MAYWRITE"], [VM_MAYEXEC, "VM_MAYEXEC"],
  [VM_MAYSHARE, "VM_MAYSHARE"], [VM_GROWSDOWN, "VM_GROWSDOWN"], [VM_UFFD_MISSING, "VM_UFFD_MISSING"],
  [VM_PFNMAP, "VM_PFNMAP"], [VM_MAYBE_GUARD, "VM_MAYBE_GUARD"], [VM_UFFD_WP, "VM_UFFD_WP"],
  [VM_LOCKED, "VM_LOCKED"], [VM_IO, "VM_IO"],
  [VM_SEQ_READ, "VM_SEQ_READ"], [VM_RAND_READ, "VM_RAND_READ"], [VM_DONTCOPY, "VM_DONTCOPY"],
  [VM_DONTEXPAND, "VM_DONTEXPAND"], [VM_LOCKONFAULT, "VM_LOCKONFAULT"], [VM_ACCOUNT, "VM_ACCOUNT"],
  [VM_NORESERVE, "VM_NORESERVE"], [VM_HUGETLB, "VM_HUGETLB"], [VM_SYNC, "VM_SYNC"],
  [VM_ARCH_1, "VM_PAT"], [VM_WIPEONFORK, "VM_WIPEONFORK"], [VM_DONTDUMP, "VM_DONTDUMP"],
  [VM_SOFTDIRTY, "VM_SOFTDIRTY"], [VM_MIXEDMAP, "VM_MIXEDMAP"], [VM_HUGEPAGE, "VM_HUGEPAGE"],
  [VM_NOHUGEPAGE, "VM_NOHUGEPAGE"], [VM_MERGEABLE, "VM_MERGEABLE"], [VM_PKEY_BIT0, "VM_PKEY_BIT0"],
  [VM_PKEY_BIT1, "VM_PKEY_BIT1"], [VM_PKEY_BIT2, "VM_PKEY_BIT2"], [VM_PKEY_BIT3, "VM_PKEY_BIT3"],
  [VM_SHADOW_STACK, "VM_SHADOW_STACK"], [VM_DROPPABLE, "VM_DROPPABLE"], [VM_SEALED, "VM_SEALED"],
];

export function flagNames(flags: VmFlags): string[] {
  const out: string[] = [];
  for (const [bit, name] of FLAG_NAMES) if (flags & bit) out.push(name);
  return out;
}
