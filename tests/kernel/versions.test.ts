// The real kernel here can only confirm the profile of its own version (6.18). For the older
// profiles this file records the source-level facts each rule rests on, and checks that every
// older profile differs from 6.18 exactly where that history says it should, and nowhere else:
// 1. field by field, in the version profile;
// 2. by behaviour: probe scenarios whose outcome must change exactly at the recorded releases.
import { describe, expect, it } from "vitest";
import {
  boot, resolveVersion, versions, KernelError, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_STACK, MAP_DROPPABLE,
  MAP_NORESERVE, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, O_CREAT, O_RDWR, PAGE_SIZE as P, PR_GET_MEMORY_MERGE, PR_SET_MEMORY_MERGE, PROT_NONE, PROT_READ, PROT_WRITE,
  vmasAt, type Process,
} from "mergeable";

const REFERENCE = "6.18";

/** A change in history: from release 6.<since> on, the kernel behaves as 6.18 does in this respect. */
interface Fact {
  since: number;
  what: string;
  /** Where it is written down: commit id(s) and kernel-vma.md sections. */
  source: string;
  /** Profile fields that encode it. */
  fields: string[];
  /** Probe scenarios whose outcome it changes. */
  probes: string[];
}

const FACTS: Fact[] = [
  { since: 2, what: 'smaps prints "lf" for VM_LOCKONFAULT', source: "8614d6c5eda0; kernel-vma.md §0.2, §14.2", fields: ["smapsLf"], probes: [] },
  { since: 4, what: "prctl(PR_SET_MEMORY_MERGE/PR_GET_MEMORY_MERGE) exist; ksm_add_vma() marks new VMAs after the merge attempt (the regression starts)", source: "d7597f59d1d3; kernel-vma.md §0.1, §10.2, §10.4", fields: ["prctlMemoryMerge", "ksmFlagTiming"], probes: ["ksm_merge", "brk_merge_any", "memfd_merge_any", "ext4_merge_any", "exec_keeps_merge_any"] },
  { since: 4, what: "a vm_ops->close hook blocks only a merge that would remove that VMA (not any neighbour)", source: "714965ca8252; kernel-vma.md §3.5, §17 (first release ≈6.4-6.6 unverified)", fields: ["closeHookOnlyIfRemoved"], probes: [] },
  { since: 6, what: 'x86 user shadow stack: VM_SHADOW_STACK "ss"', source: "kernel-vma.md §0.2 (6.6), §14.2", fields: ["smapsSs"], probes: [] },
  { since: 7, what: "mprotect_fixup() drops VM_ACCOUNT when an unfaulted private anonymous VMA becomes read-only", source: '"mm/mprotect: allow unfaulted VMAs to be unaccounted on mprotect()" (posted 2023-06-26, 6.7); kernel-vma.md §17 left the release open', fields: ["mprotectUnaccountUnfaulted"], probes: ["mprotect_ro_unfaulted"] },
  { since: 7, what: "MMF_VM_MERGE_ANY survives execve (in MMF_INIT_MASK)", source: "3c6f33b7273a, 3a9e567ca45f; kernel-vma.md §10.2", fields: ["mergeAnyKeptOnExec"], probes: ["exec_keeps_merge_any"] },
  { since: 8, what: "calc_vm_flag_bits(): MAP_STACK sets VM_NOHUGEPAGE", source: "c4608d1bf7c6 (v6.8-rc1; kernel-vma.md §1.4 said 6.7)", fields: ["mapStackNoHugepage"], probes: ["map_stack"] },
  { since: 10, what: 'VM_SEALED "sl" (mseal)', source: "kernel-vma.md §0.2, §14.2 (6.10/6.11, exact release unverified)", fields: ["smapsSl"], probes: [] },
  { since: 11, what: "MAP_DROPPABLE / VM_DROPPABLE exist (and are KSM-incompatible)", source: "kernel-vma.md §0.2, §10.1", fields: ["droppable"], probes: ["map_droppable"] },
  { since: 12, what: "vma_merge() replaced by vma_merge_new_range()/vma_merge_existing_range(): a new range between two faulted VMAs with different anon_vmas extends prev, not next", source: "kernel-vma.md §0.2 (6.12), §4.1, §4.2, §16 row 8", fields: ["mergeEngine"], probes: ["new_between_two_anon_vmas"] },
  { since: 16, what: "is_mergeable_anon_vma(): an unfaulted VMA may merge with a faulted one on mprotect", source: "879bca0a2c4f; kernel-vma.md §3.3, §13.2 (merge.c mprotect_unfaulted_*)", fields: ["anonVmaRule"], probes: ["mprotect_unfaulted_left"] },
  { since: 16, what: "f_op->mmap_prepare exists (shmem/memfd use it)", source: "c84bf6dd2b83; kernel-vma.md §6.5", fields: ["mmapPrepare"], probes: [] },
  { since: 17, what: "KSM flags set before the merge attempt (ksm_vma_flags(), can_set_ksm_flags_early()): new VMAs merge again under MERGE_ANY", source: "cf7e7a3503df (series de195c67bfcb, b914c47d46da, 4a1ff347e44c); kernel-vma.md §6.6, §11", fields: ["ksmFlagTiming"], probes: ["ksm_merge", "brk_merge_any", "memfd_merge_any", "ext4_merge_any"] },
  { since: 17, what: "ext4 uses .mmap_prepare, so its mappings also get VM_MERGEABLE early", source: "filesystem .mmap_prepare conversions; kernel-vma.md §6.6, §16 rows 14-15 (commit id not recorded)", fields: ["ext4MmapPrepare"], probes: ["ext4_merge_any"] },
  { since: 17, what: "mremap() checks the source VMA before unmapping anything (a failing MREMAP_FIXED move leaves the target; shrinking an unmapped range is EFAULT), and MREMAP_FIXED moves may span several VMAs", source: 'Lorenzo Stoakes, "mm/mremap: permit mremap() move of multiple VMAs" series (July 2025, 6.17); found by the kernel fuzzer (divergences D4-D6)', fields: ["mremapCheckFirst"], probes: ["mremap_multi_vma", "mremap_shrink_unmapped"] },
  { since: 18, what: "MREMAP_DONTUNMAP leaves VM_ACCOUNT on the old VMA", source: '"mm/mremap: correctly account old mapping after MREMAP_DONTUNMAP remap" (2025-10-13, Cc stable, 6.18-rc); found by merge.c mremap_faulted_to_unfaulted_* (divergence D2)', fields: ["dontunmapKeepsAccount"], probes: ["mremap_dontunmap_account"] },
  { since: 18, what: "vma_merge_copied_range()/vmg->copied_from: an mremap()'d faulted VMA merging into an unfaulted neighbour gives it its anon_vma (merge.c mremap_faulted_to_unfaulted_*)", source: '"mm/vma: fix anon_vma UAF on mremap() faulted, unfaulted merge" (Jan 2026, 6.19; 6.18.8+ stable — the 6.18 profile models current 6.18.y); kernel-vma.md §3.3', fields: ["copiedFrom"], probes: [] },
  { since: 18, what: "ksmd keeps MMF_VM_MERGE_ANY when it drops the slot of an mm with no VM_MERGEABLE VMA, and ksm_vma_flags() re-registers the mm", source: '590c03ca6a3f "mm/ksm: fix exec/fork inheritance support for prctl" (Cc stable); present in 6.18.44, checked against this kernel by tests/ksm/kernel.test.ts', fields: ["ksmdKeepsMergeAny"], probes: [] },
  { since: 18, what: "ksm_madvise(MADV_UNMERGEABLE) no longer clears vm_flags bits 32-63 (pkeys)", source: "f04aad36a07c; kernel-vma.md §0.2 (6.18), §16 row 18", fields: ["ksmMadviseDropsHighBits"], probes: [] },
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

const older = versions().filter((v) => v !== REFERENCE);

export const probeOutcome = outcome;

describe(`version history: older profiles differ from ${REFERENCE} exactly where the recorded facts say`, () => {
  it("the reference profile is the newest, and every profile resolves", () => {
    expect(versions()[versions().length - 1]).toBe(REFERENCE);
    for (const v of versions()) expect(resolveVersion(v).name).toBe(v);
  });

  it("every profile field rests on a recorded fact", () => {
    const ref = resolveVersion(REFERENCE) as unknown as Record<string, unknown>;
    const recorded = new Set(FACTS.flatMap((f) => f.fields));
    const unrecorded = Object.keys(ref).filter((k) => k !== "name" && k !== "minor" && !recorded.has(k));
    expect(unrecorded, "profile fields without a history fact in tests/kernel/versions.test.ts").toEqual([]);
  });

  it.each(older)("profile %s: the fields that differ from the reference are exactly those changed later", (v) => {
    const minor = Number(v.split(".")[1]);
    const ref = resolveVersion(REFERENCE) as unknown as Record<string, unknown>;
    const prof = resolveVersion(v) as unknown as Record<string, unknown>;
    const differ = Object.keys(ref).filter((k) => k !== "name" && k !== "minor" && prof[k] !== ref[k]).sort();
    const expected = [...new Set(FACTS.filter((f) => f.since > minor).flatMap((f) => f.fields))].sort();
    expect(differ).toEqual(expected);
  });

  const refOutcomes = new Map<string, string>();
  const refOutcome = (probe: string) => {
    if (!refOutcomes.has(probe)) refOutcomes.set(probe, outcome(REFERENCE, probe));
    return refOutcomes.get(probe)!;
  };

  it.each(older)("profile %s: the probes behave differently from the reference exactly where a later fact applies", (v) => {
    const minor = Number(v.split(".")[1]);
    const mustDiffer = new Set(FACTS.filter((f) => f.since > minor).flatMap((f) => f.probes));
    const wrong: string[] = [];
    for (const probe of Object.keys(PROBES)) {
      const same = outcome(v, probe) === refOutcome(probe);
      if (same === mustDiffer.has(probe)) {
        const why = FACTS.filter((f) => f.since > minor && f.probes.includes(probe)).map((f) => `6.${f.since}: ${f.what} [${f.source}]`);
        wrong.push(`${probe}: ${same ? "same as" : "differs from"} ${REFERENCE}, expected ${same ? "to differ" : "the same"}` +
          (why.length ? ` (${why.join("; ")})` : " (no recorded fact after this version)") +
          `\n--- ${v}\n${outcome(v, probe)}\n--- ${REFERENCE}\n${refOutcome(probe)}`);
      }
    }
    expect(wrong, wrong.join("\n\n")).toEqual([]);
  });

  it("every fact with a probe is observable on at least one older profile", () => {
    for (const f of FACTS) for (const probe of f.probes) {
      const before = versions().filter((v) => Number(v.split(".")[1]) < f.since);
      expect(before.some((v) => outcome(v, probe) !== refOutcome(probe)), `${probe} for "${f.what}"`).toBe(true);
    }
  });
});
