/**
 * /proc/PID/maps and /proc/PID/smaps, byte for byte as fs/proc/task_mmu.c prints them
 * (show_vma_header_prefix(), show_map_vma(), get_vma_name(), show_smap(), show_smap_vma_flags()).
 * @module
 */
import { VM_EXEC_LO, VM_MAYSHARE_LO, VM_READ_LO, VM_WRITE_LO, hex } from "./flags.ts";
import type { Mm } from "./mm.ts";
import type { Vma } from "./vma.ts";
import type { VmaView } from "./trace.ts";
import { vmFlagsString } from "./mnemonics.ts";
import { isAnonymousVma } from "./anon.ts";
import { PAGE_SIZE } from "./uapi.ts";

/**
 * seq_put_hex_ll(m, NULL, v, width): lower-case hex, zero-padded to at least `width` digits. In
 * 16-bit pieces: toString(16) of an address above 2^31 (not a small integer) is 3x slower, and
 * /proc/PID/maps of 65,530 VMAs formats 200,000 of them.
 */
function hexw(n: number, w: number): string {
  const hi = Math.floor(n / 0x100000000), lo = n % 0x100000000;
  const a = lo >>> 16, b = lo & 0xffff;
  const s = hi ? hi.toString(16) + pad4(a) + pad4(b) : a ? a.toString(16) + pad4(b) : b.toString(16);
  return s.length >= w ? s : "0".repeat(w - s.length) + s;
}
const pad4 = (x: number): string => x.toString(16).padStart(4, "0");

/** get_vma_name(): file path, special name, [heap], [stack], [anon:NAME], or "". */
export function vmaName(mm: Mm, v: Vma): string {
  if (v.file) {
    if (v.anonName && v.file.inode.kind === "shmem-anon") return `[anon_shmem:${v.anonName}]`;
    return v.file.inode.path;
  }
  if (v.special) return v.special;
  if (v.start <= mm.brk && v.end >= mm.start_brk) return "[heap]";
  if (v.start <= mm.start_stack && v.end >= mm.start_stack) return "[stack]";
  if (v.anonName) return `[anon:${v.anonName}]`;
  return "";
}

/** maps permission column. */
export function perms(v: Vma): string {
  const f = v.flagsLo;
  return (f & VM_READ_LO ? "r" : "-") + (f & VM_WRITE_LO ? "w" : "-") +
    (f & VM_EXEC_LO ? "x" : "-") + (f & VM_MAYSHARE_LO ? "s" : "p");
}

/** One maps line (with its newline). */
export function mapsLine(mm: Mm, v: Vma): string {
  const f = v.file;
  const pgoff = f ? v.pgoff * PAGE_SIZE : 0;
  const dev = f ? `${hexw(f.inode.dev[0], 2)}:${hexw(f.inode.dev[1], 2)}` : "00:00";
  const ino = f ? f.inode.ino : 0;
  let line = `${hexw(v.start, 8)}-${hexw(v.end, 8)} ${perms(v)} ${hexw(pgoff, 8)} ${dev} ${ino} `;
  const name = vmaName(mm, v);
  if (name) line = line.padEnd(72, " ") + " " + name;
  return line + "\n";
}

/** The gate VMA (x86-64 vsyscall page): printed after the mm's VMAs, not in map_count. */
const VSYSCALL = "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                          [vsyscall]\n";

/**
 * /proc/PID/maps, or its first `maxLines` lines (`head -n`: a page that shows one screen of a
 * 65,530-VMA mm need not format them all).
 */
export function procMaps(mm: Mm, maxLines = Infinity): string {
  // Joined at once, as procSmaps() does: a rope of 65,530 `+=` pieces is slow to build and to flatten.
  const lines: string[] = [];
  for (const v of mm.tree) {
    if (lines.length >= maxLines) return lines.join("");
    lines.push(mapsLine(mm, v));
  }
  if (lines.length < maxLines) lines.push(VSYSCALL);
  return lines.join("");
}

const kb = (label: string, n: number): string => `${label.padEnd(16, " ")}${String(n).padStart(8, " ")} kB\n`;

/** Page accounting of one VMA from its PTEs (smaps_account()). */
function rss(mm: Mm, v: Vma) {
  let rss = 0, pss = 0, anon = 0, ksm = 0, shared = 0, priv = 0;
  const first = v.start / PAGE_SIZE;
  const last = v.end / PAGE_SIZE;
  const visit = (vpn: number) => {
    const p = mm.ptes.get(vpn);
    if (!p || p.zero) return; // the zero page is not vm_normal_page(): not in Rss
    rss += 4;
    pss += 4 / Math.max(1, p.mapcount);
    if (p.anon) anon += 4;
    if (p.ksm) ksm += 4;
    if (p.mapcount > 1) shared += 4;
    else priv += 4;
  };
  if (last - first > mm.ptes.size) {
    for (const vpn of mm.ptes.keys()) if (vpn >= first && vpn < last) visit(vpn);
  } else for (let vpn = first; vpn < last; vpn++) visit(vpn);
  return { rss, pss: Math.floor(pss), anon, ksm, shared, priv };
}

/** /proc/PID/smaps: the maps header, the size lines of 6.x, and VmFlags. */
export function procSmaps(mm: Mm): string {
  const v6 = mm.kernel.profile;
  // Each VMA's lines are joined into one flat string at once: `out +=` over 60k VMAs kept 1.6M
  // small strings alive as a rope until the end, and every scavenge copied them (200 MB, ~2 s).
  const blocks: string[] = [];
  for (const v of mm.tree) {
    const r = rss(mm, v);
    const fl = vmFlagsString(v.flags, v6);
    blocks.push([
      mapsLine(mm, v),
      kb("Size:", (v.end - v.start) / 1024), kb("KernelPageSize:", 4), kb("MMUPageSize:", 4),
      kb("Rss:", r.rss), kb("Pss:", r.pss), kb("Pss_Dirty:", r.pss),
      kb("Shared_Clean:", 0), kb("Shared_Dirty:", r.shared), kb("Private_Clean:", 0), kb("Private_Dirty:", r.priv),
      kb("Referenced:", r.rss), kb("Anonymous:", r.anon),
      v6.smapsKsm ? kb("KSM:", r.ksm) : "",
      kb("LazyFree:", 0), kb("AnonHugePages:", 0), kb("ShmemPmdMapped:", 0), kb("FilePmdMapped:", 0),
      kb("Shared_Hugetlb:", 0), kb("Private_Hugetlb:", 0), kb("Swap:", 0), kb("SwapPss:", 0), kb("Locked:", 0),
      `THPeligible:    ${isAnonymousVma(v) && !v.special ? 0 : 0}\n`,
      `VmFlags: ${fl}${fl ? " " : ""}\n`,
    ].join(""));
  }
  return blocks.join("");
}

/**
 * The last few vm_flags seen, by their halves, and their texts: an mm's VMAs share a handful of
 * flag sets, and joining a BigInt and printing it twice for each of 65,530 VMAs was most of vmas().
 */
const flagTexts: { lo: number; hi: number; profile: Mm["kernel"]["profile"]; flags: string; vmflags: string }[] = [];

function flagText(mm: Mm, v: Vma): { flags: string; vmflags: string } {
  const profile = mm.kernel.profile;
  for (const t of flagTexts) if (t.lo === v.flagsLo && t.hi === v.flagsHi && t.profile === profile) return t;
  const flags = v.flags; // a BigInt joined from two halves: once, not twice
  const t = { lo: v.flagsLo, hi: v.flagsHi, profile, flags: hex(flags), vmflags: vmFlagsString(flags, profile) };
  if (flagTexts.unshift(t) > 8) flagTexts.pop();
  return t;
}

/** Plain-data view of a VMA, for traces and pages. */
export function vmaView(mm: Mm, v: Vma): VmaView {
  const f = flagText(mm, v);
  return {
    start: v.start,
    end: v.end,
    flags: f.flags,
    vmflags: f.vmflags,
    perms: perms(v),
    pgoff: v.pgoff,
    name: vmaName(mm, v),
    file: v.file ? v.file.inode.path : null,
    anonVma: v.anonVma ? v.anonVma.id : null,
    forkChild: !!v.anonVma && v.forkChild,
  };
}
