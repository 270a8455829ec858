/**
 * Export a trace as a candidate upstream test: a `TEST_F(merge, <name>)` in the shape of
 * tools/testing/selftests/mm/merge.c (6.18.2). The calls are made inside merge.c's fixture
 * (FIXTURE(merge): a PROT_NONE carveout and PROCMAP_QUERY) and the engine's final VMAs become
 * its ASSERTs, so the test passes exactly on kernels that behave as the engine's profile.
 * @module
 */
import { fail } from "./errno.ts";
import { vmasAt } from "./snapshot.ts";
import type { Step, VmaView } from "./trace.ts";
import { MADV_NAMES, MAP_FIXED, MAP_FIXED_NOREPLACE, MREMAP_FIXED, MREMAP_MAYMOVE, PAGE_SIZE,
  PR_GET_MEMORY_MERGE, PR_SET_MEMORY_MERGE } from "./uapi.ts";
import { mapFlagsText, protText } from "./syscall_text.ts";

/** merge.c's FIXTURE_SETUP maps 30 pages; a scenario that needs more gets a bigger fixture. */
export const MERGE_C_CARVEOUT_PAGES = 30;
/** Pages kept before the scenario's addresses: carveout[0] stays PROT_NONE, carveout[1] a hole. */
const LEAD = 2;
/** Beyond this the addresses are not one scenario's cluster (the export would map gigabytes). */
const MAX_SPAN_PAGES = 1 << 18;

export interface SelftestOptions {
  /** Process whose calls become the test (default: the first that made a call). */
  pid?: number;
  /** TEST_F name: a C identifier (default "mergeable_scenario"). */
  name?: string;
  /** Engine version the trace was made on, named in the header comment. */
  version?: string;
}

/** The process's steps, refusing calls a carveout test cannot make. */
function processSteps(trace: readonly Step[], pid: number | undefined): { steps: Step[]; index: number[] } {
  const who = pid ?? trace.find((s) => s.syscall !== "spawn" && s.pid !== 0)?.pid;
  const steps: Step[] = [];
  const index: number[] = [];
  trace.forEach((s, i) => {
    if (s.pid !== who || s.syscall === "spawn") return;
    steps.push(s);
    index.push(i);
  });
  if (!steps.length) fail("EINVAL", "toSelftest", "the trace has no calls of that process to export");
  return { steps, index };
}

/** [start, end) ranges a step names (results and requests), for placing them in the carveout. */
function ranges(s: Step): [number, number][] {
  const a = s.args as number[];
  const len = (n: number) => Math.max(PAGE_SIZE, Math.ceil(n / PAGE_SIZE) * PAGE_SIZE);
  switch (s.syscall) {
    case "mmap": {
      const fixed = (a[3]! & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
      if (!s.errno) return [[s.ret!, s.ret! + len(a[1]!)]];
      return fixed ? [[a[0]!, a[0]! + len(a[1]!)]] : [];
    }
    case "munmap": case "mprotect": case "madvise": return [[a[0]!, a[0]! + len(a[1]!)]];
    case "mremap": {
      const out: [number, number][] = [[a[0]!, a[0]! + len(a[1]!)]];
      if (!s.errno) out.push([s.ret!, s.ret! + len(a[2]!)]);
      else if (a[3]! & MREMAP_FIXED) out.push([a[4]!, a[4]! + len(a[2]!)]);
      return out;
    }
    case "poke": return [[a[0]!, a[0]! + 1]];
    case "memset": return [[a[0]!, a[0]! + a[2]!]];
    default: return [];
  }
}

const NO_ADDRESS = new Set(["open", "memfd_create", "ftruncate", "prctl"]);
const noEquivalent = (s: Step): never =>
  fail("EINVAL", "toSelftest", `step ${s.seq}, ${s.syscall}(), has no equivalent inside merge.c's carveout`);

/**
 * A merge.c-shaped kselftest of process `pid`'s calls. Throws EINVAL for calls the carveout cannot
 * hold (fork, brk, execve, calls outside the scenario's own addresses...), naming the step.
 */
export function toSelftest(trace: readonly Step[], o: SelftestOptions = {}): string {
  const name = o.name ?? "mergeable_scenario";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail("EINVAL", "toSelftest", `test name "${name}" is not a C identifier`);
  const { steps, index } = processSteps(trace, o.pid);
  let lo = Infinity;
  let hi = 0;
  for (const s of steps) {
    if (!NO_ADDRESS.has(s.syscall) && !ranges(s).length && s.syscall !== "mmap") {
      noEquivalent(s);
    }
    for (const [a, b] of ranges(s)) {
      lo = Math.min(lo, Math.floor(a / PAGE_SIZE) * PAGE_SIZE);
      hi = Math.max(hi, Math.ceil(b / PAGE_SIZE) * PAGE_SIZE);
    }
  }
  if (!Number.isFinite(lo)) fail("EINVAL", "toSelftest", "the process maps nothing: there is no VMA to assert");
  const span = (hi - lo) / PAGE_SIZE;
  if (span > MAX_SPAN_PAGES) {
    fail("EINVAL", "toSelftest", `the calls touch ${span} pages from 0x${lo.toString(16)}: more than one cluster ` +
      `of mappings, which one carveout cannot hold`);
  }
  const pages = Math.max(MERGE_C_CARVEOUT_PAGES, span + 2 * LEAD);
  const at = (addr: number) => {
    const off = addr - lo + LEAD * PAGE_SIZE;
    const pg = Math.floor(off / PAGE_SIZE);
    const b = off % PAGE_SIZE;
    return `&carveout[${pg === 1 ? "" : `${pg} * `}page_size${b ? ` + ${b}` : ""}]`;
  };
  const size = (n: number) =>
    n % PAGE_SIZE ? String(n) : `${n / PAGE_SIZE === 1 ? "" : `${n / PAGE_SIZE} * `}page_size`;
  const fds = new Set<number>();
  const fd = (n: number) => (n === -1 ? "-1" : (fds.add(n), `fd${n}`));
  const body = steps.map((s) => callC(s, at, size, fd)).join("");

  const last = index[index.length - 1]!;
  const asserts = finalAsserts(vmasAt(trace, last), lo, hi, at, size);
  const decl = fds.size ? `\tint ${[...fds].map((f) => `fd${f}`).join(", ")};\n` : "";
  const closes = [...fds].map((f) => `\tASSERT_EQ(close(fd${f}), 0);\n`).join("");
  const fixtureNote = pages === MERGE_C_CARVEOUT_PAGES
    ? " * FIXTURE(merge) below is merge.c's own: paste the TEST_F into merge.c to add it there.\n"
    : ` * The calls need ${pages} carveout pages, merge.c maps ${MERGE_C_CARVEOUT_PAGES}: raise both\n` +
      ` * counts in merge.c's FIXTURE_SETUP and FIXTURE_TEARDOWN before pasting the TEST_F there.\n`;
  return `// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Generated by Mergeable from an engine trace (${steps.length} calls${o.version ? `, Linux ${o.version} profile` : ""})
 * in the shape of tools/testing/selftests/mm/merge.c (6.18.2). The ASSERTs are the engine's
 * outcome: the test passes on kernels that behave as that profile and fails on others.
${fixtureNote} * Build on its own in tools/testing/selftests/mm, with 6.11+ uapi headers in $KHDR:
 *   gcc -isystem $KHDR -I.. -o t t.c vm_util.c thp_settings.c -lrt -lpthread -lm && ./t
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include <linux/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include "vm_util.h"
#include <linux/mman.h>

FIXTURE(merge)
{
	unsigned int page_size;
	char *carveout;
	struct procmap_fd procmap;
};

FIXTURE_SETUP(merge)
{
	self->page_size = psize();
	/* Carve out PROT_NONE region to map over. */
	self->carveout = mmap(NULL, ${pages} * self->page_size, PROT_NONE,
			      MAP_ANON | MAP_PRIVATE, -1, 0);
	ASSERT_NE(self->carveout, MAP_FAILED);
	/* Setup PROCMAP_QUERY interface. */
	ASSERT_EQ(open_self_procmap(&self->procmap), 0);
}

FIXTURE_TEARDOWN(merge)
{
	ASSERT_EQ(munmap(self->carveout, ${pages} * self->page_size), 0);
	ASSERT_EQ(close_procmap(&self->procmap), 0);
	/*
	 * Clear unconditionally, as some tests set this. It is no issue if this
	 * fails (KSM may be disabled for instance).
	 */
	prctl(PR_SET_MEMORY_MERGE, 0, 0, 0, 0);
}

TEST_F(merge, ${name})
{
	unsigned int page_size = self->page_size;
	char *carveout = self->carveout;
	struct procmap_fd *procmap = &self->procmap;
	char *ptr;
${decl}
	/*
	 * The engine's scenario starts in free address space: unmap the part of the
	 * carveout it uses, keeping a PROT_NONE page and a hole on each side.
	 */
	ASSERT_EQ(munmap(&carveout[page_size], ${span + 2} * page_size), 0);

${body}
	/* The engine's VMAs after the last call, checked with PROCMAP_QUERY. */
${asserts}${closes}	(void)ptr;
}

TEST_HARNESS_MAIN
`;
}

/** One call as C with its ASSERT on the engine's result. */
function callC(s: Step, at: (a: number) => string, size: (n: number) => string, fd: (n: number) => string): string {
  const a = s.args as number[];
  const comment = `\t/* ${s.text.replace(/\*\//g, "* /")} */\n`;
  const expectInt = (call: string) => s.errno
    ? `\tASSERT_EQ(${call}, -1);\n\tASSERT_EQ(errno, ${s.errno.name});\n`
    : `\tASSERT_EQ(${call}, ${s.ret});\n`;
  const expectPtr = (call: string) => `\tptr = ${call};\n` + (s.errno
    ? `\tASSERT_EQ(ptr, MAP_FAILED);\n\tASSERT_EQ(errno, ${s.errno.name});\n`
    : `\tASSERT_EQ(ptr, ${at(s.ret!)});\n`);
  switch (s.syscall) {
    case "mmap": {
      let flags = a[3]!;
      let addr = a[0] ? at(a[0]) : "NULL";
      if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !s.errno) {
        addr = at(s.ret!); // where the engine placed it: pinned, as merge.c pins its mappings
        flags |= MAP_FIXED_NOREPLACE;
      }
      return comment + expectPtr(`mmap(${addr}, ${size(a[1]!)}, ${protText(a[2]!)},\n\t\t   ` +
        `${mapFlagsText(flags)}, ${fd(a[4]!)}, ${a[5]})`);
    }
    case "munmap": return comment + expectInt(`munmap(${at(a[0]!)}, ${size(a[1]!)})`);
    case "mprotect": return comment + expectInt(`mprotect(${at(a[0]!)}, ${size(a[1]!)}, ${protText(a[2]!)})`);
    case "madvise": return comment + expectInt(`madvise(${at(a[0]!)}, ${size(a[1]!)}, ${MADV_NAMES[a[2]!] ?? a[2]})`);
    case "mremap": {
      let flags = a[3]!;
      let to = a[4]!;
      if (!s.errno && s.ret !== a[0] && !(flags & MREMAP_FIXED)) {
        flags |= MREMAP_FIXED | MREMAP_MAYMOVE; // where the engine moved it
        to = s.ret!;
      }
      const ft = [flags & MREMAP_MAYMOVE && "MREMAP_MAYMOVE", flags & MREMAP_FIXED && "MREMAP_FIXED",
        flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED) && `0x${(flags & ~3).toString(16)}`]
        .filter(Boolean).join(" | ") || "0";
      return comment + expectPtr(`mremap(${at(a[0]!)}, ${size(a[1]!)}, ${size(a[2]!)}, ${ft}` +
        `${flags & MREMAP_FIXED ? `, ${at(to)}` : ""})`);
    }
    case "prctl": {
      if (typeof s.args[1] !== "number" || (a[0] !== PR_SET_MEMORY_MERGE && a[0] !== PR_GET_MEMORY_MERGE)) {
        fail("EINVAL", "toSelftest",
          `step ${s.seq}, ${s.text}: only PR_SET_MEMORY_MERGE and PR_GET_MEMORY_MERGE are exported`);
      }
      const call = `prctl(${a[0] === PR_SET_MEMORY_MERGE ? "PR_SET_MEMORY_MERGE" : "PR_GET_MEMORY_MERGE"}, ` +
        `${a[1]}, ${a[2] ?? 0}, ${a[3] ?? 0}, ${a[4] ?? 0})`;
      if (s.errno || a[0] !== PR_SET_MEMORY_MERGE) return comment + expectInt(call);
      // merge.c's ksm_merge: EINVAL means a kernel without KSM (or before 6.4), a skip rather than a failure.
      return comment + `\tif (${call} == -1) {\n\t\tASSERT_EQ(errno, EINVAL);\n` +
        `\t\tSKIP(return, "KSM memory merging not supported, skipping.");\n\t}\n`;
    }
    case "open": return comment +
      `\t${fd(s.ret ?? -1)} = open(${JSON.stringify(s.args[0])}, ${a[1]} | O_CREAT, 0644);\n` +
      `\tASSERT_GE(${fd(s.ret ?? -1)}, 0);\n`;
    case "memfd_create": return comment + `\t${fd(s.ret ?? -1)} = memfd_create(${JSON.stringify(s.args[0])}, 0);\n` +
      `\tASSERT_GE(${fd(s.ret ?? -1)}, 0);\n`;
    case "ftruncate": return comment + expectInt(`ftruncate(${fd(a[0]!)}, ${a[1]})`);
    case "poke": {
      const v = typeof s.args[1] === "number" ? (s.args[1] as number) & 0xff : 1;
      return `\t/* ${s.text} */\n\t*(volatile char *)${at(a[0]!)} = ${v};\n`;
    }
    case "memset": return `\tmemset(${at(a[0]!)}, ${a[1]}, ${a[2]});\n`;
    default: return noEquivalent(s);
  }
}

/** PROCMAP_QUERY's vma_flags for a maps permission column such as "rw-p". */
function queryFlags(perms: string): string {
  const f = [perms[0] === "r" && "PROCMAP_QUERY_VMA_READABLE", perms[1] === "w" && "PROCMAP_QUERY_VMA_WRITABLE",
    perms[2] === "x" && "PROCMAP_QUERY_VMA_EXECUTABLE", perms[3] === "s" && "PROCMAP_QUERY_VMA_SHARED"].filter(Boolean);
  return f.length ? f.join(" | ") : "0";
}

/**
 * ASSERTs for the VMAs in [lo, hi): each one's bounds, permissions and file offset, and ENOENT for
 * each hole. A VMA reaching outside [lo, hi) merged with one the scenario did not map (the engine's
 * spawn() layout); the carveout has holes there, so its part inside is what the kernel shows.
 */
function finalAsserts(vmas: readonly VmaView[], lo: number, hi: number, at: (a: number) => string,
  size: (n: number) => string): string {
  let out = "";
  let cursor = lo;
  const hole = (a: number, b: number) =>
    `\t/* engine: no VMA in [${size(a - lo)}, ${size(b - lo)}) of the scenario's range */\n` +
    `\tASSERT_FALSE(find_vma_procmap(procmap, ${at(a)}));\n`;
  for (const v of vmas) {
    if (v.end <= lo || v.start >= hi) continue;
    const a = Math.max(v.start, lo);
    const b = Math.min(v.end, hi);
    if (a > cursor) out += hole(cursor, a);
    const clipped = a !== v.start || b !== v.end ? ", clipped to the scenario's range" : "";
    const vmflags = v.vmflags ? `, VmFlags ${v.vmflags}` : "";
    out += `\t/* engine: ${v.perms} ${(b - a) / PAGE_SIZE} pages${vmflags}${clipped} */\n` +
      `\tASSERT_TRUE(find_vma_procmap(procmap, ${at(a)}));\n` +
      `\tASSERT_EQ(procmap->query.vma_start, (unsigned long)${at(a)});\n` +
      `\tASSERT_EQ(procmap->query.vma_end, (unsigned long)${at(b)});\n` +
      `\tASSERT_EQ(procmap->query.vma_flags, ${queryFlags(v.perms)});\n`;
    const pgoff = v.pgoff + (a - v.start) / PAGE_SIZE;
    if (v.file) out += `\tASSERT_EQ(procmap->query.vma_offset, ${pgoff}UL * page_size);\n`;
    cursor = b;
  }
  if (cursor < hi) out += hole(cursor, hi);
  return out;
}
