// The real kernel here can only confirm the profile of its own version (the reference: `uname -r`
// resolved to its profile, 6.18.44 → 6.18.37 on this machine). For the other profiles this file
// records the source-level facts each rule rests on, and checks that every profile differs from
// the reference exactly where that history says it should, and nowhere else:
// 1. field by field, in the version profile;
// 2. by behaviour: probe scenarios whose outcome must change exactly at the recorded releases.
// Releases compare as (major, minor, patch), so a 6.18.y stable backport is a fact of its own.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  boot, resolveVersion, versions, parseRelease, compareReleases, KernelError, LATEST_VERSION, MADV_UNMERGEABLE, MAP_ANONYMOUS,
  MAP_FIXED, MAP_PRIVATE, MAP_STACK, MAP_DROPPABLE, MAP_NORESERVE, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, O_CREAT,
  O_RDWR, PAGE_SIZE as P, MADV_GUARD_INSTALL, PR_GET_MEMORY_MERGE, PR_SET_MEMORY_MERGE, PROT_NONE, PROT_READ, PROT_WRITE,
  vmasAt, type Process, type Release, F_ADD_SEALS, F_GET_SEALS, F_SEAL_EXEC, F_SEAL_WRITE, MAP_SHARED, MFD_ALLOW_SEALING,
  MFD_NOEXEC_SEAL,
} from "mergeable";
import type { Kernel } from "mergeable";
import { guardFileHalves, sealThreeRwx } from "./scenarios/calls.ts";

/** The profile of the kernel these tests run on; the newest profile where there is no Linux kernel to ask. */
function referenceVersion(): string {
  let release = "";
  try {
    release = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  } catch {
    return LATEST_VERSION;
  }
  return resolveVersion(release).name;
}

const REFERENCE = referenceVersion();
const rel = (v: string): Release => parseRelease(v)!;

/** A change in history: from release `since` on, the kernel behaves as the newer side does in this respect. */
interface Fact {
  /** The first release with the change, "6.7" or "6.18.3" (a stable backport). */
  since: string;
  what: string;
  /** Where it is written down: commit id(s) and kernel-vma.md sections. */
  source: string;
  /** Profile fields that encode it. */
  fields: string[];
  /** Probe scenarios whose outcome it changes. */
  probes: string[];
  /** The `since` of an earlier fact with the same fields that this one reverts (a fix of a regression). */
  undoes?: string;
}

/** The facts that separate profile `v` from the reference: those released in (older, newer]. */
function factsBetween(v: string): Fact[] {
  const [lo, hi] = compareReleases(rel(v), rel(REFERENCE)) < 0 ? [rel(v), rel(REFERENCE)] : [rel(REFERENCE), rel(v)];
  const between = FACTS.filter((f) => compareReleases(rel(f.since), lo) > 0 && compareReleases(rel(f.since), hi) <= 0);
  // A fact and the one it reverts, both in between, cancel out (e.g. a regression and its fix).
  const undone = (f: Fact) => (g: Fact) => g.since === f.undoes && g.fields.some((x) => f.fields.includes(x));
  const cancelled = new Set<Fact>();
  for (const f of between) {
    const g = f.undoes ? between.find((x) => !cancelled.has(x) && undone(f)(x)) : undefined;
    if (g && !cancelled.has(f)) {
      cancelled.add(f);
      cancelled.add(g);
    }
  }
  return between.filter((f) => !cancelled.has(f));
}

const FACTS: Fact[] = [
  { since: "6.2", what: 'smaps prints "lf" for VM_LOCKONFAULT', source: "8614d6c5eda0; kernel-vma.md §0.2, §14.2", fields: ["smapsLf"], probes: [] },
  { since: "6.3", what: "memfd_create() MFD_NOEXEC_SEAL and MFD_EXEC, and the F_SEAL_EXEC seal", source: '105ff5339f49 "mm/memfd: add MFD_NOEXEC_SEAL and MFD_EXEC", 6fd7353829ca "mm/memfd: add F_SEAL_EXEC" (v6.3-rc1); mm/memfd.c read in gfunkmonk/linux-6.18.2', fields: ["memfdExec"], probes: ["memfd_noexec_seal"] },
  { since: "6.4", what: "prctl(PR_SET_MEMORY_MERGE/PR_GET_MEMORY_MERGE) exist; ksm_add_vma() marks new VMAs after the merge attempt (the regression starts)", source: "d7597f59d1d3; kernel-vma.md §0.1, §10.2, §10.4", fields: ["prctlMemoryMerge", "ksmFlagTiming"], probes: ["ksm_merge", "brk_merge_any", "memfd_merge_any", "ext4_merge_any", "exec_keeps_merge_any", "ksmd_drop_keeps_merge_any"] },
  { since: "6.4", what: "a vm_ops->close hook blocks only a merge that would remove that VMA (not any neighbour)", source: "714965ca8252; kernel-vma.md §3.5, §17 (first release ≈6.4-6.6 unverified)", fields: ["closeHookOnlyIfRemoved"], probes: [] },
  { since: "6.4", what: "sysfs general_profit; ksm_stat ksm_merging_pages and ksm_process_profit", source: "d21077fbc2fc; checked on this kernel by tests/ksm/rules.test.ts (sysfs file counts)", fields: ["ksmProfit"], probes: [] },
  { since: "6.6", what: 'x86 user shadow stack: VM_SHADOW_STACK "ss"', source: "kernel-vma.md §0.2 (6.6), §14.2", fields: ["smapsSs"], probes: [] },
  { since: "6.6", what: "KSM zero pages are counted (sysfs/ksm_stat ksm_zero_pages, in both profits); smaps KSM: line; sysfs pages_scanned (added after each batch)", source: "6080d19f0704, 8b47933544a6, b348b5fe2b5f", fields: ["ksmZeroPages", "smapsKsm", "ksmPagesScanned"], probes: [] },
  { since: "6.7", what: "mprotect_fixup() drops VM_ACCOUNT when an unfaulted private anonymous VMA becomes read-only", source: '"mm/mprotect: allow unfaulted VMAs to be unaccounted on mprotect()" (posted 2023-06-26, 6.7); kernel-vma.md §17 left the release open', fields: ["mprotectUnaccountUnfaulted"], probes: ["mprotect_ro_unfaulted"] },
  { since: "6.7", what: "MMF_VM_MERGE_ANY survives execve (in MMF_INIT_MASK)", source: "3c6f33b7273a, 3a9e567ca45f; kernel-vma.md §10.2", fields: ["mergeAnyKeptOnExec"], probes: ["exec_keeps_merge_any"] },
  { since: "6.7", what: "a F_SEAL_WRITE memfd may be mapped shared read-only (no VM_MAYWRITE); before, every shared mapping was EPERM", source: 'Lorenzo Stoakes, "permit write-sealed memfd read-only shared mappings" (e8e17ee90eaf "mm: update memfd seal write check to include F_SEAL_WRITE", v6.7-rc1; id from the series, not read from a tree here); 6.18: mm/memfd.c check_write_seal(), checked on this kernel by tests/kernel/scenarios/calls.ts', fields: ["writeSealReadOnlyShared"], probes: ["memfd_write_seal_ro_shared"] },
  { since: "6.7", what: "smart scan: should_skip_rmap_item(), sysfs smart_scan and pages_skipped", source: "5e924ff54d08, e5a689912689", fields: ["ksmSmartScan"], probes: [] },
  { since: "6.8", what: "calc_vm_flag_bits(): MAP_STACK sets VM_NOHUGEPAGE", source: "c4608d1bf7c6 (v6.8-rc1; kernel-vma.md §1.4 said 6.7)", fields: ["mapStackNoHugepage"], probes: ["map_stack"] },
  { since: "6.8", what: "the scan-time advisor (sysfs advisor_*)", source: "4e5fa4f5eff6 and its series", fields: ["ksmAdvisor"], probes: [] },
  { since: "6.10", what: 'mseal() and VM_SEALED "sl"', source: '8be7258aad44 "mseal: add mseal syscall" (queued "for 6.10-rcX" with the "sl" documentation fix); checked on this kernel by tests/kernel/scenarios/calls.ts', fields: ["smapsSl", "mseal"], probes: ["mseal_exists", "mseal_merge"] },
  { since: "6.10", what: "ksm_execve() registers an exec'd merge-any mm with ksmd; pages_scanned counts each page", source: "3a9e567ca45f; 730cdc2c72c6", fields: ["execRegistersMergeAny", "ksmPagesScanned"], probes: [] },
  { since: "6.11", what: "MAP_DROPPABLE / VM_DROPPABLE exist (and are KSM-incompatible)", source: "kernel-vma.md §0.2, §10.1", fields: ["droppable"], probes: ["map_droppable"] },
  { since: "6.11", what: "cmp_and_merge_page() tests the checksum and the zero page before the stable tree (try_to_merge_with_zero_page())", source: "d58a361b0350", fields: ["ksmChecksumFirst"], probes: [] },
  { since: "6.12", what: "vma_merge() replaced by vma_merge_new_range()/vma_merge_existing_range(): a new range between two faulted VMAs with different anon_vmas extends prev, not next", source: "kernel-vma.md §0.2 (6.12), §4.1, §4.2, §16 row 8", fields: ["mergeEngine"], probes: ["new_between_two_anon_vmas"] },
  { since: "6.13", what: "madvise(MADV_GUARD_INSTALL/MADV_GUARD_REMOVE) for private anonymous memory with VM_MAYWRITE", source: '662df3e5c376 "mm: madvise: implement lightweight guard page mechanism"; ChenRuiwei/linux-6.13.7 mm/madvise.c is_valid_guard_vma()', fields: ["guardRegions"], probes: ["guard_install"] },
  { since: "6.13", what: "map_vdso(): the pvclock/hvclock pages leave [vvar] (now 2 pages) for a 2-page [vvar_vclock]: one more VMA, same addresses", source: 'e93d2521b27f "x86/vdso: Split virtual clock pages into dedicated mapping" (tip timers/vdso, v6.13-rc1); arch/x86/entry/vdso/vma.c read in ChenRuiwei/linux-6.13.7; tests/engine/special-mappings.test.ts', fields: ["vvarVclock"], probes: [] },
  { since: "6.15", what: "the generic vDSO data store: [vvar] is 4 pages again (time, timens, rng, arch data), so the mappings below it sit 8 KiB lower", source: 'dafde29605eb "x86/vdso: Switch to generic storage implementation" (v6.15-rc1: linux-next merge report, "now in Linus\' tree"); arch/x86/entry/vdso/vma.c, include/vdso/datapage.h read in gfunkmonk/linux-6.18.2; checked on this kernel by tests/kernel/special-mappings.test.ts', fields: ["vdsoDataStore"], probes: [] },
  { since: "6.14", what: "ksm_stat ksm_merge_any: and ksm_mergeable:", source: "3ab76c767bc7", fields: ["ksmStatMergeAny"], probes: [] },
  { since: "6.15", what: "guard regions in file-backed and read-only mappings (is_valid_guard_vma() drops the anonymous/VM_MAYWRITE test)", source: "6.13.7 has the test, 6.18.2 does not (docs/kernel-sources.md); 6.15 from the series' merge window, no 6.14-6.17 tree read", fields: ["guardRegions"], probes: ["guard_file"] },
  { since: "6.16", what: "is_mergeable_anon_vma(): an unfaulted VMA may merge with a faulted one on mprotect", source: "879bca0a2c4f; kernel-vma.md §3.3, §13.2 (merge.c mprotect_unfaulted_*)", fields: ["anonVmaRule"], probes: ["mprotect_unfaulted_left"] },
  { since: "6.16", what: "f_op->mmap_prepare exists (shmem/memfd use it)", source: "c84bf6dd2b83; kernel-vma.md §6.5", fields: ["mmapPrepare"], probes: [] },
  { since: "6.17", what: "KSM flags set before the merge attempt (ksm_vma_flags(), can_set_ksm_flags_early()): new VMAs merge again under MERGE_ANY", source: "cf7e7a3503df (series de195c67bfcb, b914c47d46da, 4a1ff347e44c); kernel-vma.md §6.6, §11", fields: ["ksmFlagTiming"], probes: ["ksm_merge", "brk_merge_any", "memfd_merge_any", "ext4_merge_any"] },
  { since: "6.17", what: "ext4 uses .mmap_prepare, so its mappings also get VM_MERGEABLE early", source: "filesystem .mmap_prepare conversions; kernel-vma.md §6.6, §16 rows 14-15 (commit id not recorded)", fields: ["ext4MmapPrepare"], probes: ["ext4_merge_any"] },
  { since: "6.17", what: "mremap() checks the source VMA before unmapping anything (a failing MREMAP_FIXED move leaves the target; shrinking an unmapped range is EFAULT), and MREMAP_FIXED moves may span several VMAs", source: 'Lorenzo Stoakes, "mm/mremap: permit mremap() move of multiple VMAs" series (July 2025, 6.17); found by the kernel fuzzer (divergences D4-D6)', fields: ["mremapCheckFirst"], probes: ["mremap_multi_vma", "mremap_shrink_unmapped"] },
  { since: "6.17", what: "mseal_apply() carries curr_start over from the previous VMA: after a merge, the next VMA cannot merge left", source: '6c2da14ae1e0 "mm/mseal: rework mseal apply logic" (2697dd8ae721 Fixes: it); 6.13.7 has the old vma_iter_end() loop, 6.18.2 the new one', fields: ["msealStaleStart"], probes: ["mseal_merge"] },
  { since: "6.18", what: "MREMAP_DONTUNMAP leaves VM_ACCOUNT on the old VMA", source: '"mm/mremap: correctly account old mapping after MREMAP_DONTUNMAP remap" (2025-10-13, Cc stable, 6.18-rc); found by merge.c mremap_faulted_to_unfaulted_* (divergence D2)', fields: ["dontunmapKeepsAccount"], probes: ["mremap_dontunmap_account"] },
  { since: "6.18", what: "ksm_madvise(MADV_UNMERGEABLE) no longer clears vm_flags bits 32-63 (pkeys)", source: "f04aad36a07c; kernel-vma.md §0.2 (6.18), §16 row 18", fields: ["ksmMadviseDropsHighBits"], probes: [] },
  { since: "6.18", what: "ksm_fork() resets the child's ksm_merging_pages and ksm_rmap_items", source: '4d6fc29f3634 "mm/ksm: fix incorrect KSM counter handling in mm_struct during fork"; checked against this kernel by tests/ksm/kernel.test.ts', fields: ["forkResetsKsmCounters"], probes: [] },
  { since: "6.18.3", what: "ksmd keeps MMF_VM_MERGE_ANY when it drops the slot of an mm with no VM_MERGEABLE VMA, and ksm_vma_flags() re-registers the mm; fork and exec then inherit it", source: '590c03ca6a3f "mm/ksm: fix exec/fork inheritance support for prctl" (6.19-rc1; stable 6.18.3: the diff v6.18.2..v6.18.3 of clywm520/6.18.y, docs/kernel-sources.md); checked against this kernel by tests/ksm/kernel.test.ts', fields: ["ksmdKeepsMergeAny"], probes: ["ksmd_drop_keeps_merge_any"] },
  { since: "6.18.8", what: "vma_merge_copied_range()/vmg->copied_from: an mremap()'d forked VMA may not merge into an unfaulted neighbour, and a faulted one gives it its anon_vma (merge.c mremap_faulted_to_unfaulted_*)", source: '61f67c230a5e "mm/vma: fix anon_vma UAF on mremap() faulted, unfaulted merge" + 3b617fd3d317 (6.19-rc; stable 6.18.8: "[PATCH 6.18 000/227] 6.18.8-rc1 review"; absent in the 6.18.3 tree, present in 6.18.35); kernel-vma.md §3.3', fields: ["copiedFrom"], probes: [] },
  { since: "6.18.8", what: "memfd_add_seals(): F_SEAL_EXEC on an executable memfd adds the write seals before the F_SEAL_WRITE check, so it is EBUSY while mapped shared writable", source: "mm/memfd.c: old order in clywm520/6.18.y (6.18.3), matankalina 6.19.10, hydra 7.0.0; new order in leftymods/linux-6.18.y (6.18.35), danayer 7.1.5 and on this kernel (tests/kernel/scenarios/calls.ts); the stable release in 6.18.4-6.18.35 and the commit are unverified", fields: ["sealExecImpliesWriteFirst"], probes: ["memfd_seal_exec_mapped"] },
  { since: "6.18.21", what: "mseal_apply() takes each piece's start from its VMA (the merge fix)", source: '2697dd8ae721 "mm/mseal: update VMA end correctly on merge" (7.0-rc hotfix; "[PATCH 6.18 282/309]" of the 6.18.21-rc1 review; absent in 6.18.3, present in 6.18.35); checked on this kernel by tests/kernel/scenarios/calls.ts', fields: ["msealStaleStart"], probes: ["mseal_merge"], undoes: "6.17" },
  { since: "6.18.37", what: 'sticky VMA flags: is_mergeable_vma() ignores VM_IGNORE_MERGE (VM_SOFTDIRTY | VM_MAYBE_GUARD) and a merge ORs them onto the target; MADV_GUARD_INSTALL sets VM_MAYBE_GUARD (smaps "gu") and prepares an anon_vma only for anonymous VMAs', source: "64212ba02e66, 6707915e030a, 9119d6c2095b, 49e14dabed7a, 5dba5cc2e0ff (6.19-rc1; Lorenzo Stoakes (9) in the \"Linux 6.18.37\" announcement, 2026-06-27); absent in 6.18.35 (leftymods), seen on this 6.18.44 kernel (tests/kernel/scenarios/calls.ts); 6.19.0 include/linux/mm.h:596/606, mm/vma.c:89/808/1177, mm/madvise.c:1145, fs/proc/task_mmu.c:1162", fields: ["stickyFlags", "guardMarksVma", "smapsGu"], probes: ["guard_install", "guard_file"] },
  { since: "6.19", what: "6.19.0 does not have the mseal merge fix", source: "matankalina/linux-6.19.10-fork (6.19.0) mm/mseal.c: curr_start = curr_end", fields: ["msealStaleStart"], probes: ["mseal_merge"], undoes: "6.18.21" },
  { since: "6.19", what: "6.19.0-6.19.10 add F_SEAL_EXEC's write seals after the F_SEAL_WRITE check, as 6.18.3 did", source: "matankalina/linux-6.19.10-fork mm/memfd.c memfd_add_seals() (old order)", fields: ["sealExecImpliesWriteFirst"], probes: ["memfd_seal_exec_mapped"], undoes: "6.18.8" },
  { since: "7.0", what: "mseal merge fix (2697dd8ae721)", source: "julianw1010/hydra-linux-7.0.0 root cccca0425 (7.0-rc6) mm/mseal.c: curr_start = MAX(vma->vm_start, start)", fields: ["msealStaleStart"], probes: ["mseal_merge"], undoes: "6.19" },
  { since: "7.1", what: "memfd_add_seals() adds F_SEAL_EXEC's write seals before the F_SEAL_WRITE check (7.0.0 does not)", source: "danayer/linux-7.1.5 mm/memfd.c memfd_add_seals(); julianw1010/hydra-linux-7.0.0 has the old order", fields: ["sealExecImpliesWriteFirst"], probes: ["memfd_seal_exec_mapped"], undoes: "6.19" },
];

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const fixed = (p: Process, at: number, pages: number, prot = RW, extra = 0) => p.mmap(at, pages * P, prot, ANON | MAP_FIXED | extra, -1, 0);

/** Probes: each runs in a 16-page carveout and yields its outcome (layout, VmFlags, errnos). */
const PROBES: Record<string, (p: Process, c: number) => void> = {
  ksm_merge(p, c) {
    fixed(p, c + P, 1);
    p.prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0);
    fixed(p, c + 2 * P, 1);
  },
  brk_merge_any(p) {
    const b = p.brk(0);
    p.prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0);
    for (let i = 1; i <= 3; i++) p.brk(b + i * P);
  },
  memfd_merge_any(p, c) {
    const fd = p.memfd_create("probe", 0);
    p.ftruncate(fd, 4 * P);
    p.prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0);
    p.mmap(c + P, P, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
    p.mmap(c + 2 * P, P, RW, MAP_PRIVATE | MAP_FIXED, fd, P);
  },
  ext4_merge_any(p, c) {
    const fd = p.open("/probe/ext4", O_RDWR | O_CREAT);
    p.ftruncate(fd, 4 * P);
    p.prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0);
    p.mmap(c + P, P, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
    p.mmap(c + 2 * P, P, RW, MAP_PRIVATE | MAP_FIXED, fd, P);
  },
  exec_keeps_merge_any(p) {
    p.prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0);
    p.execve();
    p.prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0);
  },
  map_stack(p, c) {
    fixed(p, c + P, 2, RW, MAP_STACK);
  },
  map_droppable(p, c) {
    p.mmap(c + P, P, RW, MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  },
  mprotect_ro_unfaulted(p, c) {
    fixed(p, c + P, 2);
    p.mprotect(c + P, 2 * P, PROT_READ);
  },
  new_between_two_anon_vmas(p, c) {
    fixed(p, c + P, 1);
    p.poke(c + P, 1);
    fixed(p, c + 3 * P, 1);
    p.poke(c + 3 * P, 2);
    fixed(p, c + 2 * P, 1);
    p.poke(c + 2 * P, 3);
  },
  mremap_multi_vma(p, c) {
    fixed(p, c + 2 * P, 2);
    p.mremap(c + 3 * P, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, c + 8 * P);   // spans rw + PROT_NONE
  },
  mremap_shrink_unmapped(p, c) {
    p.munmap(c + 8 * P, 4 * P);
    p.mremap(c + 8 * P, 4 * P, P, 0, 0);
  },
  mremap_dontunmap_account(p, c) {
    fixed(p, c + 2 * P, 2);
    p.poke(c + 2 * P, 1);
    p.mremap(c + 2 * P, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, c + 8 * P);
  },
  ksmd_drop_keeps_merge_any(p) {
    p.prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0);
    for (const v of p.vmas()) if (v.vmflags.split(" ").includes("mg")) p.madvise(v.start, v.end - v.start, MADV_UNMERGEABLE);
    const k = p.kernel as Kernel;   // Process sees its narrow ProcessHost; the test drives ksmd
    k.writeSysfs("run", 1);
    k.ksmd.runFullScans(1);   // scan_get_next_rmap_item() drops the slot: no VM_MERGEABLE VMA left
    p.prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0);
    p.fork().prctl(PR_GET_MEMORY_MERGE, 0, 0, 0, 0);
  },
  mseal_exists(p, c) {
    fixed(p, c + P, 1);
    p.mseal(c + P, P, 0);
  },
  mseal_merge: sealThreeRwx,   // selftests/mm/merge.c merge_vmas_with_mseal, the third VMA RWX too
  guard_install(p, c) {
    fixed(p, c + P, 2);
    p.madvise(c + P, P, MADV_GUARD_INSTALL);
    fixed(p, c + 3 * P, 1);
  },
  guard_file: (p, c) => guardFileHalves(p, c, "/probe/guard"),
  memfd_noexec_seal(p) {
    p.fcntl(p.memfd_create("probe", MFD_NOEXEC_SEAL), F_GET_SEALS);
  },
  memfd_write_seal_ro_shared(p, c) {
    const fd = p.memfd_create("probe", MFD_ALLOW_SEALING);
    p.ftruncate(fd, P);
    p.fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE);
    p.mmap(c + P, P, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
  },
  memfd_seal_exec_mapped(p, c) {
    const fd = p.memfd_create("probe", MFD_ALLOW_SEALING);
    p.ftruncate(fd, P);
    p.mmap(c + P, P, RW, MAP_SHARED | MAP_FIXED, fd, 0);
    p.fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC);
    p.fcntl(fd, F_GET_SEALS);
  },
  mprotect_unfaulted_left(p, c) {
    fixed(p, c + P, 10, RW, MAP_NORESERVE);   // as merge.c: NORESERVE, so VM_ACCOUNT plays no part
    p.mprotect(c + P, 5 * P, PROT_READ);
    p.poke(c + 6 * P, 1);
    p.mprotect(c + 6 * P, 5 * P, PROT_READ);
  },
};

/** What a probe did on a profile: refused calls, results, and the VMAs it touched. */
function outcome(version: string, probe: string): string {
  const kernel = boot({ version });
  const p0 = kernel.spawn();
  const c = p0.mmap(0, 16 * P, PROT_NONE, ANON, -1, 0);
  const heap = p0.brk(0);
  try {
    PROBES[probe]!(p0, c);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
  }
  const steps = kernel.trace.slice(3).map((s) => `${s.syscall}=${s.errno ? s.errno.name : s.ret === null ? "-" : s.syscall === "brk" || s.syscall === "mmap" ? "ok" : s.ret}`);
  const last = kernel.trace[kernel.trace.length - 1]!;
  const vmas = vmasAt(kernel.trace, kernel.trace.length - 1)
    .filter((v) => (v.start < c + 16 * P && v.end > c) || (v.start >= heap && v.start < heap + 64 * P) || last.syscall === "execve")
    .filter((v) => last.syscall !== "execve" || v.vmflags.includes("mg"))
    .map((v) => `${v.start >= c && v.start < c + 16 * P ? (v.start - c) / P : "h" + (v.start - heap) / P}+${(v.end - v.start) / P} ${v.perms} ${v.vmflags}`);
  return [...steps, ...vmas].join("\n");
}

const others = versions().filter((v) => v !== REFERENCE);

export const probeOutcome = outcome;

describe(`version history: profiles differ from the reference ${REFERENCE} exactly where the recorded facts say`, () => {
  it("the reference is the running kernel's profile; every profile resolves to itself, in release order", () => {
    expect(versions()).toContain(REFERENCE);
    for (const v of versions()) expect(resolveVersion(v).name).toBe(v);
    const rs = versions().map(rel);
    for (let i = 1; i < rs.length; i++) expect(compareReleases(rs[i - 1]!, rs[i]!)).toBeLessThan(0);
  });

  it("every profile field rests on a recorded fact", () => {
    const ref = resolveVersion(REFERENCE) as unknown as Record<string, unknown>;
    const recorded = new Set(FACTS.flatMap((f) => f.fields));
    const unrecorded = Object.keys(ref).filter((k) => k !== "name" && k !== "release" && !recorded.has(k));
    expect(unrecorded, "profile fields without a history fact in tests/kernel/versions.test.ts").toEqual([]);
  });

  it("every fact's release is a profile of its own", () => {
    for (const f of FACTS) expect(versions(), f.what).toContain(f.since);
  });

  it.each(others)("profile %s: the fields that differ from the reference are exactly those changed in between", (v) => {
    const ref = resolveVersion(REFERENCE) as unknown as Record<string, unknown>;
    const prof = resolveVersion(v) as unknown as Record<string, unknown>;
    const differ = Object.keys(ref).filter((k) => k !== "name" && k !== "release" && prof[k] !== ref[k]).sort();
    const expected = [...new Set(factsBetween(v).flatMap((f) => f.fields))].sort();
    expect(differ).toEqual(expected);
  });

  const refOutcomes = new Map<string, string>();
  const refOutcome = (probe: string) => {
    if (!refOutcomes.has(probe)) refOutcomes.set(probe, outcome(REFERENCE, probe));
    return refOutcomes.get(probe)!;
  };

  it.each(others)("profile %s: the probes behave differently from the reference exactly where a fact in between applies", (v) => {
    const between = factsBetween(v);
    const mustDiffer = new Set(between.flatMap((f) => f.probes));
    const wrong: string[] = [];
    for (const probe of Object.keys(PROBES)) {
      const same = outcome(v, probe) === refOutcome(probe);
      if (same === mustDiffer.has(probe)) {
        const why = between.filter((f) => f.probes.includes(probe)).map((f) => `${f.since}: ${f.what} [${f.source}]`);
        wrong.push(`${probe}: ${same ? "same as" : "differs from"} ${REFERENCE}, expected ${same ? "to differ" : "the same"}` +
          (why.length ? ` (${why.join("; ")})` : " (no recorded fact in between)") +
          `\n--- ${v}\n${outcome(v, probe)}\n--- ${REFERENCE}\n${refOutcome(probe)}`);
      }
    }
    expect(wrong, wrong.join("\n\n")).toEqual([]);
  });

  it("every fact with a probe is observable: the probe changes at exactly that release", () => {
    for (const f of FACTS) for (const probe of f.probes) {
      const i = versions().indexOf(f.since);
      expect(i, f.since).toBeGreaterThan(0);
      const [before, at] = [versions()[i - 1]!, versions()[i]!];
      if (FACTS.some((g) => g !== f && g.since === f.since && g.probes.includes(probe))) continue;
      expect(outcome(before, probe), `${probe} for "${f.what}": ${before} vs ${at}`).not.toBe(outcome(at, probe));
    }
  });
});
