// The kernel's own mappings of a fresh x86-64 process (arch/x86/entry/vdso/vma.c map_vdso()): the
// engine's [vvar], [vvar_vclock] and [vdso] for the running kernel's profile must have the sizes,
// order, permissions and VmFlags of this machine's, read from /proc/self/smaps (every process has
// the same ones; their address is randomised, so only their shape is compared).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { boot } from "mergeable";
import { describeKernel, runningConfig } from "./capability.ts";
import { runningVersion } from "./harness.ts";

interface Special {
  name: string;
  pages: number;
  perms: string;
  vmflags: string;
  /** Starts where the previous special mapping ends. */
  adjacent: boolean;
}

const NAMES = /^\[(vvar|vvar_vclock|vdso)\]$/;

function shape(rows: { start: number; end: number; perms: string; vmflags: string; name: string }[]): Special[] {
  const out: Special[] = [];
  let prevEnd = -1;
  for (const r of rows) {
    if (!NAMES.test(r.name)) continue;
    out.push({ name: r.name, pages: (r.end - r.start) / 4096, perms: r.perms, vmflags: r.vmflags.trim(),
      adjacent: r.start === prevEnd });
    prevEnd = r.end;
  }
  return out;
}

/** The special mappings of this process, from /proc/self/smaps. */
function kernelSpecials(): Special[] {
  const rows: { start: number; end: number; perms: string; vmflags: string; name: string }[] = [];
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const h = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (h) rows.push({ start: parseInt(h[1]!, 16), end: parseInt(h[2]!, 16), perms: h[3]!, vmflags: "", name: h[4]! });
    else if (line.startsWith("VmFlags:") && rows.length) rows[rows.length - 1]!.vmflags = line.slice(8);
  }
  return shape(rows);
}

describeKernel("special mappings of a fresh process: engine = this kernel", () => {
  it("[vvar], [vvar_vclock] and [vdso]: the same pages, order, permissions and VmFlags", () => {
    const p = boot({ version: runningVersion(), config: runningConfig() }).spawn();
    expect(shape(p.vmas())).toEqual(kernelSpecials());
  });
});
