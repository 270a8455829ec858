/**
 * Export a trace as a C program that performs the same calls on a real kernel and prints the
 * resulting VMAs: the reproducer a kernel developer attaches to a bug report. Addresses the
 * engine chose are pinned with MAP_FIXED_NOREPLACE so the layout is the same; an EEXIST from
 * one of those means the real process already uses that address (run it under `setarch -R`).
 * @module
 */
import type { Step } from "./trace.ts";
import { MADV_NAMES, MAP_FIXED, MAP_FIXED_NOREPLACE, PAGE_SIZE } from "./uapi.ts";
import { protText, mapFlagsText } from "./syscall_text.ts";

const hx = (n: number) => "0x" + n.toString(16) + "UL";

/** The advice names a program uses, each #defined when the libc headers predate it (MADV_GUARD_INSTALL: 6.13). */
function madvDefines(steps: readonly Step[]): string {
  const used = new Set(steps.filter((s) => s.syscall === "madvise").map((s) => s.args[2] as number));
  return [...used].filter((n) => MADV_NAMES[n]).sort((a, b) => a - b)
    .map((n) => `#ifndef ${MADV_NAMES[n]}\n#define ${MADV_NAMES[n]} ${n}\n#endif\n`).join("");
}

/** C for one step, or a comment when the call has no C equivalent here. */
function stmt(s: Step, fdVar: (fd: number) => string): string {
  const a = s.args as number[];
  const check = (call: string, expect: string) =>
    `  r = (long)${call};\n` +
      `  printf("%-70s = %ld%s\\n", ` +
        `${JSON.stringify(s.text.replace(/ = .*$/, ""))}, r, r == -1 ? strerror(errno) : "");\n` +
      `  /* engine: ${expect} */\n`;
  const expect = s.errno ? `-1 ${s.errno.name}` : String(s.ret);
  switch (s.syscall) {
    case "mmap": {
      let flags = a[3]!;
      let addr = a[0]!;
      if (!s.errno && !(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))) {
        addr = s.ret!;
        flags |= MAP_FIXED_NOREPLACE;
      }
      return check(`mmap((void *)${hx(addr)}, ${a[1]}, ${protText(a[2]!)}, ${mapFlagsText(flags)}, ` +
        `${a[4] === -1 ? "-1" : fdVar(a[4]!)}, ${a[5]})`, expect);
    }
    case "munmap": return check(`munmap((void *)${hx(a[0]!)}, ${a[1]})`, expect);
    case "mprotect": return check(`mprotect((void *)${hx(a[0]!)}, ${a[1]}, ${protText(a[2]!)})`, expect);
    case "madvise": return check(`madvise((void *)${hx(a[0]!)}, ${a[1]}, ${MADV_NAMES[a[2]!] ?? a[2]})`, expect);
    case "mseal": return check(`syscall(462 /* SYS_mseal on x86-64 */, ${hx(a[0]!)}, ${a[1]}, ${a[2]})`, expect);
    case "mlock": case "munlock": return check(`${s.syscall}((void *)${hx(a[0]!)}, ${a[1]})`, expect);
    case "mlock2": return check(`mlock2((void *)${hx(a[0]!)}, ${a[1]}, ${a[2]})`, expect);
    case "mlockall": return check(`mlockall(${a[0]})`, expect);
    case "munlockall": return check("munlockall()", expect);
    case "mremap": return check(`mremap((void *)${hx(a[0]!)}, ${a[1]}, ${a[2]}, ${a[3]}, ` +
      `(void *)${hx(a[4]!)})`, expect);
    case "prctl": return typeof s.args[1] === "number"
      ? check(`prctl(${a[0]}, ${a[1]}UL, ${a[2]}UL, ${a[3]}UL, ${a[4]}UL)`, expect)
      : `  /* ${s.text} */\n`;
    case "open": return `  ${fdVar(s.ret ?? -1)} = open(${JSON.stringify(s.args[0])}, ${a[1]} | O_CREAT, 0644);\n` +
      `  if (${fdVar(s.ret ?? -1)} < 0) perror("open");\n`;
    case "memfd_create": return `  ${fdVar(s.ret ?? -1)} = memfd_create(${JSON.stringify(s.args[0])}, ${a[1] ?? 0});\n`;
    case "fcntl": return check(`fcntl(${fdVar(a[0]!)}, ${a[1]}, ${a[2]})`, expect);
    case "ftruncate": return check(`ftruncate(${fdVar(a[0]!)}, ${a[1]})`, expect);
    // A write that faulted in the engine (SIGSEGV, SIGBUS: a guard page, PROT_NONE) would kill the program.
    case "poke": return s.errno ? `  /* ${s.text}: the engine's SIGSEGV/SIGBUS, not replayed */\n` :
      `  *(volatile char *)${hx(a[0]!)} = ` +
      `${typeof s.args[1] === "number" ? (s.args[1] as number) & 0xff : 1};\n`;
    case "memset": return `  memset((void *)${hx(a[0]!)}, ${a[1]}, ${a[2]});\n`;
    case "brk": return check(`syscall(SYS_brk, ${hx(a[0]!)})`, expect);
    default: return `  /* ${s.text}: not exported */\n`;
  }
}

/**
 * A C program replaying the steps of process `pid` (default: the first process that made a
 * call), printing each result and then /proc/self/maps restricted to the addresses it used.
 */
export function toC(trace: readonly Step[], pid?: number): string {
  const steps = trace.filter((s) => s.syscall !== "spawn" && (pid === undefined ? true : s.pid === pid));
  const who = pid ?? steps[0]?.pid;
  const mine = steps.filter((s) => s.pid === who);
  const fds = new Set<number>();
  const fdVar = (fd: number) => {
    fds.add(fd);
    return `fd${fd}`;
  };
  let lo = Infinity;
  let hi = 0;
  for (const s of mine) {
    if ((s.syscall === "mmap" || s.syscall === "mremap") && s.ret !== null) {
      lo = Math.min(lo, s.ret);
      hi = Math.max(hi, s.ret + Math.max(Number(s.args[1]), Number(s.args[2] ?? 0)) + PAGE_SIZE);
    }
  }
  const body = mine.map((s) => stmt(s, fdVar)).join("");
  const decl = fds.size ? `  int ${[...fds].map((f) => `fd${f} = -1`).join(", ")};\n` : "";
  return `/* Generated by Mergeable from an engine trace (${mine.length} calls). Build: cc -o repro repro.c */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
${madvDefines(mine)}
static void show_maps(unsigned long lo, unsigned long hi)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && e > lo && s < hi)
			fputs(line, stdout);
	}
	if (f)
		fclose(f);
}

int main(void)
{
	long r;
${decl}${body}	(void)r;
	show_maps(${Number.isFinite(lo) ? hx(lo) : "0"}, ${hi ? hx(hi) : "~0UL"});
	return 0;
}
`.replace(/^  /gm, "\t");
}

