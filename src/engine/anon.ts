/**
 * vma_is_anonymous(): a VMA without vm_ops. Anonymous memory, and also MAP_PRIVATE /dev/zero,
 * which mmap_zero() turns anonymous with vma_set_anonymous() while keeping vm_file.
 * @module
 */
import { VM_SHARED_LO } from "./flags.ts";
import type { Vma } from "./vma.ts";

export function isAnonymousVma(v: Vma): boolean {
  if (v.special) return false;
  if (!v.file) return true;
  return v.file.inode.kind === "devzero" && (v.flagsLo & VM_SHARED_LO) === 0;
}
