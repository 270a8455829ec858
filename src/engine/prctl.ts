/**
 * prctl() options that touch memory (kernel/sys.c SYSCALL_DEFINE5(prctl)):
 * PR_SET_MEMORY_MERGE / PR_GET_MEMORY_MERGE (6.4+, d7597f59d1d3; mm/ksm.c
 * ksm_enable_merge_any()/ksm_disable_merge_any()) and PR_SET_VMA_ANON_NAME (mm/madvise.c).
 * @module
 */
import { fail, KernelError } from "./errno.ts";
import type { Mm } from "./mm.ts";
import { ksmAddVmas, ksmDelVmas, ksmEnter } from "./ksm.ts";
import { pageAlign } from "./munmap.ts";
import { vmaModify } from "./split.ts";
import { isAnonymousVma } from "./anon.ts";
import { hexAddr } from "./trace.ts";
import { PAGE_SIZE, PR_GET_MEMORY_MERGE, PR_SET_MEMORY_MERGE, PR_SET_VMA, PR_SET_VMA_ANON_NAME } from "./uapi.ts";

/** prctl(option, arg2, arg3, arg4, arg5) → the syscall's return value. */
export function doPrctl(mm: Mm, option: number, a2: number | string, a3: number | string,
  a4: number | string, a5: number | string): number {
  const v = mm.kernel.profile;
  const t = mm.kernel.tracer;
  switch (option) {
    case PR_SET_MEMORY_MERGE: {
      if (!v.prctlMemoryMerge) fail("EINVAL", "prctl",
        `PR_SET_MEMORY_MERGE does not exist before 6.4 (unknown option ${option})`);
      if (a3 || a4 || a5) fail("EINVAL", "prctl", "PR_SET_MEMORY_MERGE: arg3, arg4 and arg5 must be 0");
      if (a2) {
        // ksm_enable_merge_any(): a second call is a no-op (VMAs unmarked since stay unmarked).
        if (mm.mergeAny) return 0;
        ksmEnter(mm);
        mm.mergeAny = true;
        const n = ksmAddVmas(mm);
        t.on && t.event("ksm", "ksm_enable_merge_any",
          `MMF_VM_MERGE_ANY set; ksm_add_vmas() set VM_MERGEABLE ` +
          `in place on ${n} compatible VMA${n === 1 ? "" : "s"} (no merge, no split)`);
      } else {
        if (!mm.mergeAny) return 0;
        ksmDelVmas(mm);
        mm.mergeAny = false;
        t.on && t.event("ksm", "ksm_disable_merge_any",
          "unmerged KSM pages and cleared VM_MERGEABLE on every VMA (madvised ones too); " +
          "MMF_VM_MERGE_ANY cleared");
      }
      return 0;
    }
    case PR_GET_MEMORY_MERGE:
      if (!v.prctlMemoryMerge) fail("EINVAL", "prctl",
        `PR_GET_MEMORY_MERGE does not exist before 6.4 (unknown option ${option})`);
      if (a2 || a3 || a4 || a5) fail("EINVAL", "prctl", "PR_GET_MEMORY_MERGE: arg2..arg5 must be 0");
      return mm.mergeAny ? 1 : 0;
    case PR_SET_VMA:
      if (!mm.kernel.config.anonVmaName) fail("EINVAL", "prctl",
        "PR_SET_VMA needs CONFIG_ANON_VMA_NAME, which this kernel is built without");
      return setVmaAnonName(mm, a2, a3, a4, a5);
    default:
      throw new KernelError("EINVAL", "prctl", `option ${option} is not one the engine models ` +
        `(PR_SET_MEMORY_MERGE=67, PR_GET_MEMORY_MERGE=68, PR_SET_VMA=0x53564d41)`);
  }
}

/** prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name): anonymous VMAs only, merges/splits like madvise. */
function setVmaAnonName(mm: Mm, sub: number | string, addr: number | string,
  len: number | string, name: number | string): number {
  if (sub !== PR_SET_VMA_ANON_NAME) fail("EINVAL", "prctl", `PR_SET_VMA: unknown attribute ${sub}`);
  if (typeof addr !== "number" || typeof len !== "number") fail("EINVAL", "prctl",
    "PR_SET_VMA_ANON_NAME: addr and len must be numbers");
  const label = name === 0 ? null : String(name);
  if (label !== null && (label.length > 79 || /[\\`$[\]\x00-\x1f\x7f]/.test(label))) fail("EINVAL", "prctl",
    "anon name too long or has characters anon_vma_name refuses");
  if (addr % PAGE_SIZE) fail("EINVAL", "prctl", `addr ${hexAddr(addr)} is not page aligned`);
  const end = addr + pageAlign(len);
  if (end === addr) return 0;
  let start = addr;
  let unmapped = false;
  while (start < end) {
    const v = mm.tree.findVma(start);
    if (!v || v.start >= end) {
      unmapped = true;
      break;
    }
    if (v.start > start) unmapped = true;
    const s = Math.max(start, v.start);
    const e = Math.min(end, v.end);
    if (!isAnonymousVma(v) && !(v.file && v.file.inode.kind === "shmem-anon")) fail("EBADF", "prctl",
      `[${hexAddr(v.start)}-${hexAddr(v.end)}) is file-backed: only anonymous memory can be named`);
    const done = v.anonName === label ? v : vmaModify(mm, v, s, e, v.flags, label, "prctl", "prctl");
    start = Math.max(e, done.end);
  }
  if (unmapped) fail("ENOMEM", "prctl", "part of the range is not mapped");
  return 0;
}
