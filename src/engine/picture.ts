/**
 * The kernel-test ASCII picture of an address range (tools/testing/vma style): one character
 * per page, a letter per VMA, a space where nothing is mapped, with a legend.
 *
 *     0123456789abcdef
 *     AAAABBBB    CCCC
 * @module
 */
import type { VmaView } from "./trace.ts";
import { PAGE_SIZE } from "./uapi.ts";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Options for {@link picture}. */
export interface PictureOptions {
  /** Include the legend (one line per VMA). Default true. */
  legend?: boolean;
}

/**
 * Draw the VMAs overlapping [start, end) one character per page. Ranges wider than 256 pages
 * are refused with a RangeError-free note instead of an unreadable line.
 */
export function picture(vmas: readonly VmaView[], start: number, end: number, opts: PictureOptions = {}): string {
  const n = Math.ceil((end - start) / PAGE_SIZE);
  if (n <= 0) return "(empty range)";
  if (n > 256) return `(range of ${n} pages: too wide for a one-character-per-page picture; ` +
    `pick a window of at most 256 pages)`;
  const cells = new Array<string>(n).fill(" ");
  const shown: VmaView[] = [];
  for (const v of vmas) {
    if (v.end <= start || v.start >= end) continue;
    const letter = LETTERS[shown.length % LETTERS.length]!;
    shown.push(v);
    for (let a = Math.max(v.start, start); a < Math.min(v.end, end); a += PAGE_SIZE)
      cells[(a - start) / PAGE_SIZE] = letter;
  }
  let ruler = "";
  for (let i = 0; i < n; i++) ruler += (i % 16).toString(16);
  const lines = [ruler, cells.join("").replace(/\s+$/, "")];
  if (opts.legend !== false) {
    shown.forEach((v, i) => {
      const tags = [v.perms, v.vmflags.includes("mg") ? "mg" : "",
        v.anonVma !== null ? `anon_vma#${v.anonVma}${v.forkChild ? " (fork)" : ""}` : "", v.name]
        .filter(Boolean).join(" ");
      lines.push(`${LETTERS[i % LETTERS.length]}: ${v.start.toString(16)}-${v.end.toString(16)} ${tags}`);
    });
  }
  return lines.join("\n");
}
