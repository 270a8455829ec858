/**
 * execve(): a fresh address space laid out as fs/binfmt_elf.c load_elf_binary() and the dynamic
 * loader leave it, with address-space randomisation off (as under `setarch -R`): the program at
 * ELF_ET_DYN_BASE, ld.so and the vDSO below mmap_base, libc mapped by ld.so, the heap after
 * the program's data, the stack at the top. The mappings are made with the engine's own
 * mmap/mprotect/brk, so their flags follow the same rules as a scenario's.
 * @module
 */
import { VM_DONTEXPAND, VM_EXEC, VM_IO, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE, VM_PFNMAP,
  VM_READ, VM_DONTDUMP, VM_SOFTDIRTY, VM_STACK_FLAGS, type VmFlags } from "./flags.ts";
import type { Mm } from "./mm.ts";
import { doMmap } from "./mmap.ts";
import { doMprotect } from "./mprotect.ts";
import { sysBrk } from "./brk.ts";
import type { SpecialName } from "./vma.ts";
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PAGE_SIZE,
  PROT_EXEC, PROT_READ, PROT_WRITE, TASK_SIZE } from "./uapi.ts";

/** ELF_ET_DYN_BASE on x86-64 with randomisation off: where a PIE program is loaded. */
export const ELF_ET_DYN_BASE = 0x555555554000;
/** arch/x86/mm/mmap.c mmap_base(): TASK_SIZE minus the 128 MiB minimum gap below the stack. */
export const MMAP_BASE = TASK_SIZE - 128 * 1024 * 1024;
export const STACK_TOP = TASK_SIZE;
const STACK_SIZE = 0x21000;

interface Segment {
  off: number;
  len: number;
  prot: number;
}

/** Map an ELF object's segments: reserve the whole extent, then map each segment MAP_FIXED over it. */
function mapElf(mm: Mm, path: string, base: number, extent: number, segs: Segment[],
  relro?: { off: number; len: number }): number {
  const file = mm.kernel.vfs.open(path, 0);
  const at = doMmap(mm, base, extent, PROT_READ, MAP_PRIVATE | (base ? MAP_FIXED : 0), file, 0);
  for (const s of segs) doMmap(mm, at + s.off, s.len, s.prot, MAP_PRIVATE | MAP_FIXED, file, s.off / PAGE_SIZE);
  if (relro) doMprotect(mm, at + relro.off, relro.len, PROT_READ);
  return at;
}

/** map_vdso(): the data pages are VM_READ | VM_MAYREAD | VM_IO | VM_PFNMAP | VM_DONTDUMP. */
const VVAR_FLAGS = VM_READ | VM_MAYREAD | VM_IO | VM_PFNMAP | VM_DONTDUMP;

/** _install_special_mapping(): [vvar] and [vdso] are VM_DONTEXPAND, never merged, never KSM-scanned. */
function installSpecial(mm: Mm, start: number, pages: number, flags: VmFlags, name: SpecialName): void {
  const k = mm.kernel;
  const v = mm.newVma(start, start + pages * PAGE_SIZE,
    flags | VM_DONTEXPAND | (k.config.softDirty ? VM_SOFTDIRTY : 0n), 0, null);
  v.special = name;
  mm.insert(v);
}

/** Lay out a new process image in an empty mm. */
export function loadImage(mm: Mm): void {
  const k = mm.kernel;
  mm.mmap_base = MMAP_BASE;
  // setup_arg_pages(): the stack VMA is inserted directly (insert_vm_struct()), never through
  // mmap, so it never gets VM_MERGEABLE from merge-any.
  const stack = mm.newVma(STACK_TOP - STACK_SIZE, STACK_TOP,
    VM_STACK_FLAGS | (k.config.softDirty ? VM_SOFTDIRTY : 0n),
    (STACK_TOP - STACK_SIZE) / PAGE_SIZE, null);
  mm.insert(stack);
  mm.start_stack = STACK_TOP - 0x1000 + 0x50;
  // The program: /usr/bin/app, 5 pages; .data.rel.ro becomes read-only after relocation.
  mapElf(mm, "/usr/bin/app", ELF_ET_DYN_BASE, 0x5000, [
    { off: 0x1000, len: 0x1000, prot: PROT_READ | PROT_EXEC },
    { off: 0x2000, len: 0x1000, prot: PROT_READ },
    { off: 0x3000, len: 0x2000, prot: PROT_READ | PROT_WRITE },
  ], { off: 0x3000, len: 0x1000 });
  mm.start_brk = mm.brk = ELF_ET_DYN_BASE + 0x5000;
  // The interpreter, loaded by the kernel top-down from mmap_base.
  const ld = mapElf(mm, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0, 0x3b000, [
    { off: 0x2000, len: 0x2a000, prot: PROT_READ | PROT_EXEC },
    { off: 0x2c000, len: 0xb000, prot: PROT_READ },
    { off: 0x37000, len: 0x4000, prot: PROT_READ | PROT_WRITE },
  ], { off: 0x37000, len: 0x2000 });
  // arch_setup_additional_pages() → map_vdso() (arch/x86/entry/vdso/vma.c): the vDSO data pages,
  // [vvar] and from 6.13 [vvar_vclock], then the 2-page [vdso] text, just below the interpreter.
  const vdso = ld - 0x2000;
  // [vvar] was 4 pages (vvar, timens and the 2 clock pages); 6.13 moved the clock pages out, and
  // 6.15's data store is 4 pages again (time, timens, rng, arch data).
  const vvarVclockPages = k.profile.vvarVclock ? 2 : 0;
  const vvarPages = k.profile.vdsoDataStore ? 4 : 4 - vvarVclockPages;
  const vclock = vdso - vvarVclockPages * PAGE_SIZE;
  installSpecial(mm, vclock - vvarPages * PAGE_SIZE, vvarPages, VVAR_FLAGS, "[vvar]");
  if (vvarVclockPages) installSpecial(mm, vclock, vvarVclockPages, VVAR_FLAGS, "[vvar_vclock]");
  installSpecial(mm, vdso, 2, VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC, "[vdso]");
  // libc, mapped by ld.so, and its zero-filled .bss tail.
  const libc = mapElf(mm, "/usr/lib/x86_64-linux-gnu/libc.so.6", 0, 0x228000, [
    { off: 0x28000, len: 0x195000, prot: PROT_READ | PROT_EXEC },
    { off: 0x1bd000, len: 0x58000, prot: PROT_READ },
    { off: 0x215000, len: 0x6000, prot: PROT_READ | PROT_WRITE },
  ], { off: 0x215000, len: 0x4000 });
  doMmap(mm, libc + 0x21b000, 0xd000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, null, 0);
  // TLS and the loader's bookkeeping: a few anonymous pages below libc.
  doMmap(mm, 0, 0x3000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
  // malloc's first sbrk: a 132 KiB heap.
  sysBrk(mm, mm.brk + 0x21000);
}
