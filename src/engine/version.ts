/**
 * Kernel version profiles, built from one version-history table: each row is a release where the
 * behaviour the engine models changes, the fields it changes, and the commits that changed them.
 * Any "X.Y[.Z][-suffix]" resolves to the newest profile at or below it, compared as
 * (major, minor, patch): "6.5" runs the 6.4 rules, "6.18.2" the 6.18 rules, "6.18.44-fc" the
 * 6.18.37 rules, "7.1.5" the 7.1 rules. Engine rules read the named fields, never a version number.
 * @module
 */
import { KernelError } from "./errno.ts";

/** A kernel release as (major, minor, patch). */
export type Release = readonly [number, number, number];

/** The behaviour switches of one kernel release. */
export interface VersionProfile {
  /** Profile name, e.g. "6.16" or "6.18.3": the first release with this behaviour. */
  readonly name: string;
  /** That release as (major, minor, patch), for ordering only: rules read the fields below. */
  readonly release: Release;
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
  /**
   * "legacy" = vma_merge() + open-coded mmap_region() expansion (≤6.11);
   * "vmg" = vma_merge_new_range()/vma_merge_existing_range() (6.12+).
   */
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
  /**
   * MREMAP_DONTUNMAP leaves VM_ACCOUNT on the old VMA
   * ("mm/mremap: correctly account old mapping after MREMAP_DONTUNMAP remap", 6.18-rc).
   */
  readonly dontunmapKeepsAccount: boolean;
  /**
   * copy_vma() passes vmg->copied_from: a forked source may not merge into an unfaulted VMA,
   * and vma_expand() dups the moved VMA's anon_vma into the target ("mm/vma: fix anon_vma UAF
   * on mremap() faulted, unfaulted merge", 61f67c230a5e, 6.19; 6.18.8 stable with 3b617fd3d317).
   */
  readonly copiedFrom: boolean;
  /**
   * When ksmd drops the slot of an mm with no VM_MERGEABLE VMA left (scan_get_next_rmap_item()),
   * it clears only MMF_VM_MERGEABLE and keeps MMF_VM_MERGE_ANY; ksm_vma_flags() puts the mm back
   * on ksmd's list (__ksm_enter()) when it next marks a VMA. Before, ksmd cleared MMF_VM_MERGE_ANY
   * too. 590c03ca6a3f "mm/ksm: fix exec/fork inheritance support for prctl" (6.19; 6.18.3 stable).
   */
  readonly ksmdKeepsMergeAny: boolean;
  /**
   * mprotect_fixup() drops VM_ACCOUNT when an unfaulted anonymous VMA becomes read-only
   * ("mm/mprotect: allow unfaulted VMAs to be unaccounted on mprotect()", 6.7).
   */
  readonly mprotectUnaccountUnfaulted: boolean;
  /** execve() of a merge-any mm puts the new mm on ksmd's list (ksm_execve(): 3a9e567ca45f, 6.10). */
  readonly execRegistersMergeAny: boolean;
  /** ksm_fork() resets the child's ksm_merging_pages/ksm_rmap_items (4d6fc29f3634, 6.18). */
  readonly forkResetsKsmCounters: boolean;
  /** sysfs general_profit, ksm_stat ksm_merging_pages and ksm_process_profit (d21077fbc2fc, 6.4). */
  readonly ksmProfit: boolean;
  /**
   * KSM zero pages are counted: sysfs and ksm_stat ksm_zero_pages, and both profits include them
   * (6080d19f0704, 6.6). Before, use_zero_pages mapped the zero page uncounted.
   */
  readonly ksmZeroPages: boolean;
  /** smaps "KSM:" line (8b47933544a6, 6.6). */
  readonly smapsKsm: boolean;
  /**
   * sysfs pages_scanned: "batch" = ksm_do_scan() adds `scan_npages - npages` after its loop
   * (b348b5fe2b5f, 6.6); "per-page" = one per page examined (730cdc2c72c6, 6.10).
   */
  readonly ksmPagesScanned: "none" | "batch" | "per-page";
  /** Smart scan: should_skip_rmap_item(), sysfs smart_scan and pages_skipped (5e924ff54d08, e5a689912689, 6.7). */
  readonly ksmSmartScan: boolean;
  /** The scan-time advisor's sysfs files advisor_* (4e5fa4f5eff6 and its series, 6.8). */
  readonly ksmAdvisor: boolean;
  /**
   * cmp_and_merge_page() tests the checksum and try_to_merge_with_zero_page() before searching
   * the stable tree (d58a361b0350, 6.11); before, a page equal to a KSM page merged on first visit.
   */
  readonly ksmChecksumFirst: boolean;
  /** ksm_stat ksm_merge_any: and ksm_mergeable: (3ab76c767bc7, 6.14). */
  readonly ksmStatMergeAny: boolean;
  /** The mseal() system call (mm/mseal.c do_mseal(): 8be7258aad44, 6.10); before, ENOSYS. */
  readonly mseal: boolean;
  /**
   * mseal_apply() carries `curr_start = curr_end` from one VMA to the next, stale once
   * vma_modify_flags() merged a VMA with the one after it, so the next VMA cannot merge left
   * (6c2da14ae1e0 "mm/mseal: rework mseal apply logic", 6.17; fixed by 2697dd8ae721 "mm/mseal:
   * update VMA end correctly on merge": 7.0-rc, 6.18.21 stable; 6.19.0 still has it).
   */
  readonly msealStaleStart: boolean;
  /**
   * madvise(MADV_GUARD_INSTALL/MADV_GUARD_REMOVE), mm/madvise.c is_valid_guard_vma():
   * "anon" = private anonymous VMAs with VM_MAYWRITE only (662df3e5c376, 6.13);
   * "any" = any VMA but VM_SPECIAL/VM_HUGETLB (file-backed and read-only guard regions, 6.15).
   */
  readonly guardRegions: "none" | "anon" | "any";
  /**
   * MADV_GUARD_INSTALL sets VM_MAYBE_GUARD on the VMA (49e14dabed7a; VM_COPY_ON_FORK ab04b530e7e8),
   * and calls anon_vma_prepare() only for anonymous VMAs (6.19, 6.18.37). Before, every VMA got one.
   */
  readonly guardMarksVma: boolean;
  /** smaps "gu" for VM_MAYBE_GUARD (5dba5cc2e0ff, 6.19, 6.18.37). */
  readonly smapsGu: boolean;
  /**
   * Sticky VMA flags (VM_STICKY = VM_SOFTDIRTY | VM_MAYBE_GUARD): is_mergeable_vma() ignores
   * VM_IGNORE_MERGE, and vma_merge_existing_range() / vma_expand() OR the sticky flags of the
   * range, prev, next and target onto the merged VMA (64212ba02e66, 6707915e030a, 9119d6c2095b;
   * 6.19, 6.18.37 stable). Before, only VM_SOFTDIRTY was ignored, and the merged VMA took the
   * range's flags.
   */
  readonly stickyFlags: boolean;
  /**
   * memfd_create() MFD_NOEXEC_SEAL / MFD_EXEC and the F_SEAL_EXEC seal ("mm/memfd: add
   * MFD_NOEXEC_SEAL and MFD_EXEC" 105ff5339f49, "mm/memfd: add F_SEAL_EXEC" 6fd7353829ca, 6.3).
   */
  readonly memfdExec: boolean;
  /**
   * A F_SEAL_WRITE memfd may be mapped shared read-only (no VM_MAYWRITE), and only shared
   * VM_MAYWRITE mappings block adding F_SEAL_WRITE: Lorenzo Stoakes' series "permit write-sealed
   * memfd read-only shared mappings" (e8e17ee90eaf "mm: update memfd seal write check to include
   * F_SEAL_WRITE", 6.7). Before, F_SEAL_WRITE refused every VM_SHARED mapping.
   */
  readonly writeSealReadOnlyShared: boolean;
  /**
   * memfd_add_seals() applies "SEAL_EXEC implies SEAL_WRITE" before the F_SEAL_WRITE check, so
   * F_SEAL_EXEC on an executable memfd mapped shared writable is EBUSY; before, it added
   * F_SEAL_WRITE regardless. Absent in 6.18.3 (clywm520/6.18.y), 6.19.10 and 7.0.0, present in
   * 6.18.35 (leftymods/linux-6.18.y), 7.1.5 and this machine's 6.18.44: a stable backport whose
   * 6.18.y release (4..35) and commit are not verified; modelled from 6.18.8, the reference profile.
   */
  readonly sealExecImpliesWriteFirst: boolean;
  /**
   * map_vdso(): the pvclock and hvclock pages leave the 4-page x86-64 [vvar] for a 2-page
   * [vvar_vclock] ("x86/vdso: Split virtual clock pages into dedicated mapping", e93d2521b27f, 6.13).
   */
  readonly vvarVclock: boolean;
  /**
   * [vvar] is the generic vDSO data store, 4 pages of its own (time, timens, rng, arch data):
   * "x86/vdso: Switch to generic storage implementation" (dafde29605eb, 6.15).
   */
  readonly vdsoDataStore: boolean;
}

type Behaviour = Omit<VersionProfile, "name" | "release">;

/** One row of the version history: from `release` on, these fields hold (commits in `why`). */
export interface VersionChange {
  readonly release: string;
  readonly set: Partial<Behaviour>;
  /** The commits (and the kernel function) behind the change, or why the row exists without one. */
  readonly why: string;
}

/** 6.1, the oldest modelled release: every later difference is a row of VERSION_HISTORY. */
const BASE: Behaviour = {
  prctlMemoryMerge: false, ksmFlagTiming: "none", closeHookOnlyIfRemoved: false, mergeEngine: "legacy",
  anonVmaRule: "legacy", mmapPrepare: false, ext4MmapPrepare: false, mergeAnyKeptOnExec: false,
  ksmMadviseDropsHighBits: true, mapStackNoHugepage: false, droppable: false, smapsLf: false, smapsSs: false,
  smapsSl: false, mremapCheckFirst: false, dontunmapKeepsAccount: false, copiedFrom: false,
  ksmdKeepsMergeAny: false, mprotectUnaccountUnfaulted: false, execRegistersMergeAny: false,
  forkResetsKsmCounters: false, ksmProfit: false, ksmZeroPages: false, smapsKsm: false, ksmPagesScanned: "none",
  ksmSmartScan: false, ksmAdvisor: false, ksmChecksumFirst: false, ksmStatMergeAny: false, mseal: false,
  msealStaleStart: false, guardRegions: "none", guardMarksVma: false, smapsGu: false, stickyFlags: false,
  memfdExec: false,
  writeSealReadOnlyShared: false, sealExecImpliesWriteFirst: false, vvarVclock: false, vdsoDataStore: false,
};

/** The version history, oldest first. Adding a release adds a row here and the rules that read it. */
export const VERSION_HISTORY: readonly VersionChange[] = [
  { release: "6.1", set: {}, why: "the oldest modelled release" },
  { release: "6.2", set: { smapsLf: true }, why: 'show_smap_vma_flags() "lf": 8614d6c5eda0' },
  {
    release: "6.3", set: { memfdExec: true },
    why: "MFD_NOEXEC_SEAL, MFD_EXEC: 105ff5339f49; F_SEAL_EXEC: 6fd7353829ca " +
      "(the last release before PR_SET_MEMORY_MERGE)",
  },
  {
    release: "6.4",
    set: { prctlMemoryMerge: true, ksmFlagTiming: "late", closeHookOnlyIfRemoved: true, ksmProfit: true },
    why: "prctl PR_SET_MEMORY_MERGE and ksm_add_vma(): d7597f59d1d3; can_vma_merge_*() close hook: 714965ca8252; " +
      "general_profit, ksm_process_profit: d21077fbc2fc",
  },
  {
    release: "6.6", set: { smapsSs: true, ksmZeroPages: true, smapsKsm: true, ksmPagesScanned: "batch" },
    why: 'VM_SHADOW_STACK "ss"; ksm_zero_pages: 6080d19f0704; smaps KSM: 8b47933544a6; pages_scanned: b348b5fe2b5f',
  },
  {
    release: "6.7",
    set: {
      mergeAnyKeptOnExec: true, mprotectUnaccountUnfaulted: true, ksmSmartScan: true, writeSealReadOnlyShared: true,
    },
    why: "MMF_VM_MERGE_ANY in MMF_INIT_MASK: 3c6f33b7273a; mprotect_fixup() unaccounts unfaulted VMAs; " +
      "should_skip_rmap_item(): 5e924ff54d08, e5a689912689; " +
      "read-only shared maps of F_SEAL_WRITE memfds: e8e17ee90eaf",
  },
  {
    release: "6.8", set: { mapStackNoHugepage: true, ksmAdvisor: true },
    why: "calc_vm_flag_bits() MAP_STACK: c4608d1bf7c6; scan-time advisor: 4e5fa4f5eff6",
  },
  {
    release: "6.10", set: { smapsSl: true, mseal: true, execRegistersMergeAny: true, ksmPagesScanned: "per-page" },
    why: 'mseal() and VM_SEALED "sl": 8be7258aad44; ksm_execve(): 3a9e567ca45f; ksm_do_scan() counts each page: ' +
      "730cdc2c72c6",
  },
  {
    release: "6.11", set: { droppable: true, ksmChecksumFirst: true },
    why: "MAP_DROPPABLE / VM_DROPPABLE; cmp_and_merge_page() checksum first: d58a361b0350",
  },
  {
    release: "6.12", set: { mergeEngine: "vmg" },
    why: "vma_merge_new_range() / vma_merge_existing_range() replace vma_merge()",
  },
  {
    release: "6.13", set: { guardRegions: "anon", vvarVclock: true },
    why: "MADV_GUARD_INSTALL/MADV_GUARD_REMOVE, madvise_guard_install(), anonymous VMAs only: 662df3e5c376; " +
      "map_vdso(): [vvar_vclock] split out of [vvar]: e93d2521b27f",
  },
  {
    release: "6.14", set: { ksmStatMergeAny: true },
    why: "proc_pid_ksm_stat() ksm_merge_any/ksm_mergeable: 3ab76c767bc7",
  },
  {
    release: "6.15", set: { guardRegions: "any", vdsoDataStore: true },
    why: "is_valid_guard_vma() drops the anonymous/VM_MAYWRITE test: file-backed and read-only guard regions; " +
      "the generic vDSO data store, a 4-page [vvar]: dafde29605eb",
  },
  {
    release: "6.16", set: { anonVmaRule: "uncowed", mmapPrepare: true },
    why: "is_mergeable_anon_vma(): 879bca0a2c4f; f_op->mmap_prepare: c84bf6dd2b83",
  },
  {
    release: "6.17",
    set: { ksmFlagTiming: "early", ext4MmapPrepare: true, mremapCheckFirst: true, msealStaleStart: true },
    why: 'ksm_vma_flags() / can_set_ksm_flags_early(): cf7e7a3503df; ext4 .mmap_prepare; mremap series ' +
      '"permit mremap() move of multiple VMAs"; mseal_apply() rework: 6c2da14ae1e0',
  },
  {
    release: "6.18", set: { ksmMadviseDropsHighBits: false, dontunmapKeepsAccount: true, forkResetsKsmCounters: true },
    why: 'ksm_madvise(): f04aad36a07c; "mm/mremap: correctly account old mapping after MREMAP_DONTUNMAP remap"; ' +
      "ksm_fork(): 4d6fc29f3634",
  },
  {
    release: "6.18.3", set: { ksmdKeepsMergeAny: true },
    why: "scan_get_next_rmap_item() keeps MMF_VM_MERGE_ANY, ksm_vma_flags() re-enters: 590c03ca6a3f (6.19-rc1, stable)",
  },
  {
    release: "6.18.8", set: { copiedFrom: true, sealExecImpliesWriteFirst: true },
    why: "vma_merge_copied_range(), vmg->copied_from: 61f67c230a5e, 3b617fd3d317 (6.19-rc, stable); " +
      "memfd_add_seals() F_SEAL_EXEC's write seals before the EBUSY check (stable 6.18.4-6.18.35, unverified)",
  },
  {
    release: "6.18.21", set: { msealStaleStart: false },
    why: "mseal_apply() takes curr_start from each VMA: 2697dd8ae721 (7.0-rc, stable)",
  },
  {
    release: "6.18.37", set: { guardMarksVma: true, smapsGu: true, stickyFlags: true },
    why: "VM_STICKY / VM_IGNORE_MERGE: 64212ba02e66, 6707915e030a, 9119d6c2095b; VM_MAYBE_GUARD: 49e14dabed7a, " +
      'smaps "gu": 5dba5cc2e0ff (6.19-rc1; the nine-patch stable backport in 6.18.37)',
  },
  {
    release: "6.19", set: { msealStaleStart: true, sealExecImpliesWriteFirst: false },
    why: "6.19.0 has the sticky flags of 6.18.37 but lacks the mseal fix 2697dd8ae721 and the memfd_add_seals() " +
      "F_SEAL_EXEC ordering (6.19.10 still lacks it)",
  },
  {
    release: "7.0", set: { msealStaleStart: false },
    why: "mseal_apply(): 2697dd8ae721; anon_vma_merge() removed, anon_vma_clone(dst, src, enum vma_operation): " +
      "no merge outcome changes",
  },
  {
    release: "7.1", set: { sealExecImpliesWriteFirst: true },
    why: "memfd_add_seals() adds F_SEAL_EXEC's write seals before the EBUSY check (read in 7.1.5; 7.0.0 lacks it); " +
      "vma_flags_t in vma.c, brk and KSM (vma_flags_diff_pair(), VMA_IGNORE_MERGE_FLAGS); " +
      "can_set_ksm_flags_early() and ksm_compatible()'s VM_SPECIAL test unchanged",
  },
];

/** "6.18.44-fc" → [6, 18, 44]; null if it does not start with major.minor. */
export function parseRelease(version: string): Release | null {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?(?:[.\-+~].*)?\s*$/.exec(String(version));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

/** Order two releases by (major, minor, patch): negative, 0 or positive. */
export function compareReleases(a: Release, b: Release): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const PROFILES: readonly VersionProfile[] = (() => {
  const out: VersionProfile[] = [];
  let cur: Behaviour = BASE;
  for (const row of VERSION_HISTORY) {
    const release = parseRelease(row.release)!;
    if (out.length && compareReleases(release, out[out.length - 1]!.release) <= 0) {
      throw new Error(`version history out of order at ${row.release}`);
    }
    cur = { ...cur, ...row.set };
    out.push(Object.freeze({ name: row.release, release, ...cur }));
  }
  return out;
})();

/** The profile names the engine supports, oldest first. */
export function versions(): string[] {
  return PROFILES.map((p) => p.name);
}

/** The newest supported version: the default when none is given. */
export const LATEST_VERSION = PROFILES[PROFILES.length - 1]!.name;

const OLDEST = PROFILES[0]!.release;
const NEWEST = PROFILES[PROFILES.length - 1]!.release;
const span = `${OLDEST[0]}.${OLDEST[1]}..${NEWEST[0]}.${NEWEST[1]}`;

/**
 * Resolve "6.16", "6.16.8", "6.18.44-fc-v669" (a `uname -r`) to its profile.
 * @throws KernelError(EINVAL) for anything outside the modelled releases, listing the supported versions.
 */
export function resolveVersion(version: string): VersionProfile {
  const r = parseRelease(version);
  const supported = versions().join(", ");
  if (!r) {
    throw new KernelError("EINVAL", "boot",
      `"${version}" is not a kernel version: expected "X.Y" or "X.Y.Z" (supported: ${supported})`);
  }
  const mm: Release = [r[0], r[1], 0];
  if (compareReleases(mm, [OLDEST[0], OLDEST[1], 0]) < 0 || compareReleases(mm, [NEWEST[0], NEWEST[1], 0]) > 0) {
    throw new KernelError("EINVAL", "boot", `kernel ${r[0]}.${r[1]} is not modelled: ` +
      `supported versions are ${supported} (any ${span}[.z] resolves to the nearest profile below it)`);
  }
  let best = PROFILES[0]!;
  for (const p of PROFILES) if (compareReleases(p.release, r) <= 0) best = p;
  return best;
}
