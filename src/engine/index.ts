/**
 * Mergeable's kernel engine — the module scenarios import as `"mergeable"`.
 *
 * A TypeScript model of a Linux process address space: VMAs, how mmap, munmap, mprotect,
 * madvise, mremap, brk, prctl, fork and execve split and merge them on each kernel release
 * from 6.1 to 6.18, and KSM. Every rule names the kernel function it models.
 *
 * @example
 * import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS,
 *          MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from "mergeable";
 * const kernel = boot({ version: "6.16" });
 * const p = kernel.spawn();
 * p.prctl(PR_SET_MEMORY_MERGE, 1);
 * const a = p.mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
 * p.mmap(a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
 *        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
 * console.log(p.maps());   // 6.16: two VMAs; 6.17: one
 * @module
 */
export {
  boot, runScenario, ambientVersion, describeThrown, type ScenarioResult, type KernelResult, type ProcessResult,
  type RunOptions, type VmaLookup,
} from "./session.ts";
export { Kernel, type BootOptions, type KernelConfig } from "./kernel.ts";
export { Process } from "./process.ts";
export { Ksmd } from "./ksmd/index.ts";
export { KernelError, ERRNO, type ErrnoName } from "./errno.ts";
export {
  versions, resolveVersion, parseRelease, compareReleases, LATEST_VERSION, VERSION_HISTORY,
  type VersionProfile, type VersionChange, type Release,
} from "./version.ts";
export { picture, type PictureOptions } from "./picture.ts";
export { toC } from "./export_c.ts";
export { toSelftest, MERGE_C_CARVEOUT_PAGES, type SelftestOptions } from "./export_selftest.ts";
export { toVmaTest, type VmaTestOptions } from "./export_vma_test.ts";
export type { Step, TraceEvent, VmaView, EventKind } from "./trace.ts";
export { vmasAt, SNAPSHOT_LIMIT, type VmaDelta } from "./snapshot.ts";
export * from "./uapi.ts";
export {
  VM_READ, VM_WRITE, VM_EXEC, VM_SHARED, VM_MAYREAD, VM_MAYWRITE, VM_MAYEXEC, VM_MAYSHARE,
  VM_GROWSDOWN, VM_PFNMAP, VM_LOCKED, VM_LOCKONFAULT, VM_IO, VM_DONTCOPY, VM_DONTEXPAND, VM_ACCOUNT, VM_NORESERVE,
  VM_HUGETLB, VM_WIPEONFORK, VM_DONTDUMP, VM_SOFTDIRTY, VM_MIXEDMAP, VM_HUGEPAGE, VM_NOHUGEPAGE,
  VM_MERGEABLE, VM_DROPPABLE, VM_SEALED, VM_SPECIAL, VM_MAYBE_GUARD, VM_STICKY, flagNames, type VmFlags,
} from "./flags.ts";
export { vmFlagsString, mnemonic } from "./mnemonics.ts";
