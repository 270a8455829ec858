/**
 * memfd_create() flags and file seals: mm/memfd.c sanitize_flags(), alloc_file(), memfd_fcntl(),
 * memfd_add_seals(), memfd_check_seals_mmap() and mm/shmem.c shmem_setattr(), read in
 * gfunkmonk/linux-6.18.2. Seals live on shmem inodes (memfd, tmpfs; hugetlbfs memfds are not
 * modelled); other files have none (F_GET_SEALS is EINVAL).
 * Simplification: memfd_wait_for_pins() never waits (no page is pinned), vm.memfd_noexec is 0.
 * @module
 */
import { fail } from "./errno.ts";
import type { File, Inode } from "./file.ts";
import { VM_MAYWRITE_LO, VM_SHARED_LO, VM_WRITE_LO } from "./flags.ts";
import type { Host } from "./host.ts";
import type { Mm } from "./mm.ts";
import { hexAddr } from "./trace.ts";
import {
  F_ADD_SEALS, F_GET_SEALS, F_SEAL_EXEC, F_SEAL_FUTURE_WRITE, F_SEAL_GROW, F_SEAL_SEAL, F_SEAL_SHRINK,
  F_SEAL_WRITE, MFD_ALLOW_SEALING, MFD_CLOEXEC, MFD_EXEC, MFD_HUGETLB, MFD_NOEXEC_SEAL, SEAL_NAMES,
} from "./uapi.ts";
import type { VersionProfile } from "./version.ts";

/** The seals of a memfd_create() file and whether its i_mode has exec bits. */
export interface MemfdSetup {
  seals: number;
  exec: boolean;
}

/** sanitize_flags() + alloc_file(): the new file's seals. MFD_HUGETLB is refused: hugetlbfs memfds are not modelled. */
export function memfdSetup(flags: number, v: VersionProfile): MemfdSetup {
  const all = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | (v.memfdExec ? MFD_NOEXEC_SEAL | MFD_EXEC : 0);
  if (flags & ~all) fail("EINVAL", "memfd_create", `unknown flags ${hexAddr(flags & ~all)}` +
    (v.memfdExec ? "" : " (MFD_NOEXEC_SEAL and MFD_EXEC are 6.3+)"));
  if (flags & MFD_HUGETLB) fail("EINVAL", "memfd_create", "MFD_HUGETLB memfds are not modelled by the engine");
  if (flags & MFD_EXEC && flags & MFD_NOEXEC_SEAL) fail("EINVAL", "memfd_create", "MFD_EXEC with MFD_NOEXEC_SEAL");
  // shmem_get_inode() starts every shmem inode at F_SEAL_SEAL; MFD_NOEXEC_SEAL also seals exec and drops 0111.
  if (flags & MFD_NOEXEC_SEAL) return { seals: F_SEAL_EXEC, exec: false };
  return { seals: flags & MFD_ALLOW_SEALING ? 0 : F_SEAL_SEAL, exec: true };
}

const sealText = (s: number): string =>
  SEAL_NAMES.filter(([b]) => s & b).map(([, n]) => n).join(" | ") || "none";

/** is_shared_maywrite(): what mapping_deny_writable() counts (i_mmap_writable); before 6.7 every VM_SHARED map. */
function countsAsWritable(lo: number, v: VersionProfile): boolean {
  if (!(lo & VM_SHARED_LO)) return false;
  return !v.writeSealReadOnlyShared || (lo & VM_MAYWRITE_LO) !== 0;
}

/** mapping_deny_writable(): EBUSY while any process maps the file shared and (may-)writable. */
function mappingDenyWritable(host: Host<Mm>, inode: Inode): void {
  for (const mm of host.liveMms()) {
    for (const vma of mm.tree) {
      if (vma.file?.inode === inode && countsAsWritable(vma.flagsLo, host.profile)) {
        fail("EBUSY", "fcntl", `F_SEAL_WRITE while pid ${mm.pid} maps ${inode.path} shared and writable at ` +
          `[${hexAddr(vma.start)}-${hexAddr(vma.end)}) (mapping_deny_writable())`);
      }
    }
  }
}

/** memfd_add_seals(). */
function memfdAddSeals(host: Host<Mm>, file: File, seals: number): number {
  const v = host.profile;
  const all = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE |
    (v.memfdExec ? F_SEAL_EXEC : 0);
  if (!file.writable) fail("EPERM", "fcntl", `F_ADD_SEALS on ${file.inode.path}, which is not open for writing`);
  if (seals & ~all) fail("EINVAL", "fcntl", `unknown seals ${hexAddr(seals & ~all)}`);
  const inode = file.inode;
  if (inode.seals === undefined) fail("EINVAL", "fcntl", `${inode.path} is not a shmem file: it has no seals`);
  if (inode.seals & F_SEAL_SEAL) fail("EPERM", "fcntl", `${inode.path} has F_SEAL_SEAL` +
    (inode.kind === "memfd" ? " (memfd_create() without MFD_ALLOW_SEALING)" : " (only memfds can be sealed)"));
  // "SEAL_EXEC implies SEAL_WRITE, making W^X from the start" (read in 6.13.7 and 6.18.2): on an
  // executable memfd F_SEAL_EXEC adds the write seals, after the EBUSY check, or before it (6.18.8).
  const execImplies = seals & F_SEAL_EXEC && inode.exec
    ? F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE : 0;
  if (v.sealExecImpliesWriteFirst) seals |= execImplies;
  if (seals & F_SEAL_WRITE && !(inode.seals & F_SEAL_WRITE)) mappingDenyWritable(host, inode);
  inode.seals |= seals | execImplies;
  const t = host.tracer;
  t.on && t.event("info", "memfd_add_seals", `${inode.path} seals: ${sealText(inode.seals)}`);
  return 0;
}

/** memfd_fcntl(): F_ADD_SEALS and F_GET_SEALS (other fcntl() commands are not modelled). */
export function memfdFcntl(host: Host<Mm>, file: File, cmd: number, arg: number): number {
  if (cmd === F_ADD_SEALS) return memfdAddSeals(host, file, arg);
  if (cmd === F_GET_SEALS) {
    if (file.inode.seals === undefined) fail("EINVAL", "fcntl", `${file.inode.path} is not a shmem file: no seals`);
    return file.inode.seals;
  }
  return fail("EINVAL", "fcntl", `fcntl command ${cmd} is not modelled (only F_ADD_SEALS and F_GET_SEALS)`);
}

/**
 * memfd_check_seals_mmap() → check_write_seal() (do_mmap(), 6.7+): under F_SEAL_WRITE or
 * F_SEAL_FUTURE_WRITE a shared writable mapping is EPERM and a shared read-only one loses
 * VM_MAYWRITE, so mprotect(PROT_WRITE) is EACCES later. Before 6.7 only F_SEAL_FUTURE_WRITE did
 * that (seal_check_future_write()); F_SEAL_WRITE refused every VM_SHARED mapping
 * (mapping_map_writable()). Returns the new low flag word.
 */
export function memfdCheckSealsMmap(file: File, lo: number, v: VersionProfile): number {
  const seals = file.inode.seals ?? 0;
  if (!(seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) || !(lo & VM_SHARED_LO)) return lo;
  const which = seals & F_SEAL_WRITE ? "F_SEAL_WRITE" : "F_SEAL_FUTURE_WRITE";
  if (lo & VM_WRITE_LO) fail("EPERM", "mmap", `${file.inode.path} has ${which}: no new shared writable mappings`);
  if (seals & F_SEAL_WRITE && !v.writeSealReadOnlyShared) fail("EPERM", "mmap",
    `${file.inode.path} has F_SEAL_WRITE: before 6.7 no shared mapping at all (mapping_map_writable())`);
  return lo & ~VM_MAYWRITE_LO;
}

/** shmem_setattr(): F_SEAL_SHRINK forbids shrinking, F_SEAL_GROW growing (EPERM). */
export function shmemSetattrSeals(inode: Inode, size: number): void {
  const seals = inode.seals ?? 0;
  if (size < inode.size && seals & F_SEAL_SHRINK) fail("EPERM", "ftruncate", `${inode.path} has F_SEAL_SHRINK`);
  if (size > inode.size && seals & F_SEAL_GROW) fail("EPERM", "ftruncate", `${inode.path} has F_SEAL_GROW`);
}
