/**
 * Kernel version profiles: one per release where the behaviour the engine models changes.
 * Any "6.x[.y][-suffix]" resolves to the newest profile at or below it, so "6.5" runs the 6.4
 * rules and "6.18.44-fc" the 6.18 rules. Each field cites the change that introduced it.
 * @module
 */
import { KernelError } from "./errno.ts";

/** The behaviour switches of one kernel release. */
export interface VersionProfile {
  /** Profile name, e.g. "6.16". */
  readonly name: string;
  /** Minor version number within 6.x (6.16 → 16). */
  readonly minor: number;
  /** prctl(PR_SET_MEMORY_MERGE/PR_GET_MEMORY_MERGE) exist: d7597f59d1d3, 6.4. */
  readonly prctlMemoryMerge: boolean;
  /**
   * Where a new mapping gets VM_MERGEABLE under MMF_VM_MERGE_ANY:
   * "late" = ksm_add_vma() after the merge attempt (6.4..6.16, the regression);
   * "early" = ksm_vma_flags() before it when can_set_ksm_flags_early() (cf7e7a3503df, 6.17+).
   */
  readonly ksmFlagTiming: "none" | "late" | "early";
  /** vm_ops->close blocks only a neighbour that a merge would remove (714965ca8252, 6.4); before, any neighbour. */
  readonly closeHookOnlyIfRemoved: boolean;
  /** "legacy" = vma_merge() + open-coded mmap_region() expansion (≤6.11); "vmg" = vma_merge_new_range()/vma_merge_existing_range() (6.12+). */
  readonly mergeEngine: "legacy" | "vmg";
  /** is_mergeable_anon_vma(): "legacy" (≤6.15) or "uncowed" after 879bca0a2c4f (6.16+). */
  readonly anonVmaRule: "legacy" | "uncowed";
  /** f_op->mmap_prepare exists (c84bf6dd2b83, 6.16). */
  readonly mmapPrepare: boolean;
  /** ext4_file_operations use .mmap_prepare (filesystem conversion series, 6.17). */
  readonly ext4MmapPrepare: boolean;
  /** MMF_VM_MERGE_ANY is in MMF_INIT_MASK, so it survives execve (3c6f33b7273a, 6.7). */
  readonly mergeAnyKeptOnExec: boolean;
  /** ksm_madvise() MADV_UNMERGEABLE clears bits 32..63 (fixed by f04aad36a07c in 6.18). */
  readonly ksmMadviseDropsHighBits: boolean;
  /** calc_vm_flag_bits(): MAP_STACK → VM_NOHUGEPAGE (c4608d1bf7c6, 6.8). */
  readonly mapStackNoHugepage: boolean;
  /** VM_DROPPABLE exists and is KSM-incompatible (6.11). */
  readonly droppable: boolean;
  /** smaps mnemonic "lf" for VM_LOCKONFAULT (8614d6c5eda0, 6.2). */
  readonly smapsLf: boolean;
  /** VM_SHADOW_STACK "ss" (6.6). */
  readonly smapsSs: boolean;
  /** VM_SEALED "sl" (6.10). */
  readonly smapsSl: boolean;
  /**
   * mremap() looks up and checks the source VMA (check_prep_vma()) before it unmaps anything,
   * and MREMAP_FIXED moves of an unchanged length may span several VMAs (remap_move()):
   * Lorenzo Stoakes' mremap series "permit mremap() move of multiple VMAs", 6.17 [boundary per
   * the series' merge; 6.16 had only the vma_remap_struct refactor].
   */
  readonly mremapCheckFirst: boolean;
  /** MREMAP_DONTUNMAP leaves VM_ACCOUNT on the old VMA ("mm/mremap: correctly account old mapping after MREMAP_DONTUNMAP remap", 6.18-rc). */
  readonly dontunmapKeepsAccount: boolean;
  /**
   * copy_vma() passes vmg->copied_from: a forked source may not merge into an unfaulted VMA,
   * and vma_expand() dups the moved VMA's anon_vma into the target ("mm/vma: fix anon_vma UAF
   * on mremap() faulted, unfaulted merge", Jan 2026: 6.19, and 6.18.8+ stable — the 6.18 profile
   * models current 6.18.y).
   */
  readonly copiedFrom: boolean;
  /**
   * When ksmd drops the slot of an mm with no VM_MERGEABLE VMA left (scan_get_next_rmap_item()),
   * it clears only MMF_VM_MERGEABLE and keeps MMF_VM_MERGE_ANY; ksm_vma_flags() puts the mm back
   * on ksmd's list (__ksm_enter()) when it next marks a VMA. Before, ksmd cleared MMF_VM_MERGE_ANY
   * too. 590c03ca6a3f "mm/ksm: fix exec/fork inheritance support for prctl" (Cc stable): the
   * 6.18.y kernel these tests run on (6.18.44) has it, so the 6.18 profile does.
   */
  readonly ksmdKeepsMergeAny: boolean;
  /** mprotect_fixup() drops VM_ACCOUNT when an unfaulted anonymous VMA becomes read-only ("mm/mprotect: allow unfaulted VMAs to be unaccounted on mprotect()", 6.7). */
  readonly mprotectUnaccountUnfaulted: boolean;
}

const RELEASES = [1, 2, 3, 4, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18] as const;

function profile(minor: number): VersionProfile {
  return {
    name: `6.${minor}`,
    minor,
    prctlMemoryMerge: minor >= 4,
    ksmFlagTiming: minor < 4 ? "none" : minor < 17 ? "late" : "early",
    closeHookOnlyIfRemoved: minor >= 4,
    mergeEngine: minor < 12 ? "legacy" : "vmg",
    anonVmaRule: minor < 16 ? "legacy" : "uncowed",
    mmapPrepare: minor >= 16,
    ext4MmapPrepare: minor >= 17,
    mergeAnyKeptOnExec: minor >= 7,
    ksmMadviseDropsHighBits: minor < 18,
    mapStackNoHugepage: minor >= 8,
    droppable: minor >= 11,
    smapsLf: minor >= 2,
    smapsSs: minor >= 6,
    smapsSl: minor >= 10,
    mprotectUnaccountUnfaulted: minor >= 7,
    mremapCheckFirst: minor >= 17,
    copiedFrom: minor >= 18,
    dontunmapKeepsAccount: minor >= 18,
    ksmdKeepsMergeAny: minor >= 18,
  };
}

const PROFILES: ReadonlyMap<number, VersionProfile> = new Map(RELEASES.map((m) => [m, profile(m)]));

/** The profile names the engine supports, oldest first. */
export function versions(): string[] {
  return RELEASES.map((m) => `6.${m}`);
}

/** The newest supported version: the default when none is given. */
export const LATEST_VERSION = `6.${RELEASES[RELEASES.length - 1]}`;

/**
 * Resolve "6.16", "6.16.8", "6.18.44-fc-v669" (a `uname -r`) to its profile.
 * @throws KernelError(EINVAL) for anything outside 6.1..6.18, listing the supported versions.
 */
export function resolveVersion(version: string): VersionProfile {
  const m = /^\s*v?(\d+)\.(\d+)(?:[.\-+~].*)?\s*$/.exec(String(version));
  const supported = versions().join(", ");
  if (!m) {
    throw new KernelError("EINVAL", "boot", `"${version}" is not a kernel version: expected "6.x" (supported: ${supported})`);
  }
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 6 || minor < RELEASES[0] || minor > RELEASES[RELEASES.length - 1]) {
    throw new KernelError("EINVAL", "boot", `kernel ${major}.${minor} is not modelled: supported versions are ${supported} (any 6.1..6.18 resolves to the nearest profile below it)`);
  }
  let best: number = RELEASES[0];
  for (const r of RELEASES) if (r <= minor) best = r;
  return PROFILES.get(best)!;
}
