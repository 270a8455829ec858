/**
 * Does a second adjacent mapping merge? The table of kernel-vma.md §11.4 / §16 rows 13-15 and
 * docs/kernel-sources.md claim 7: {backing} x {merge-any off, on} x {version}. Two 1-page RW
 * MAP_PRIVATE mappings at carveout pages 1 and 2, linear offsets, same open file.
 *  - merge-any off: every backing merges (same vm_file, linear pgoff, equal flags).
 *  - merge-any on, 6.4-6.16: ksm_add_vma() sets VM_MERGEABLE after the merge attempt, so the
 *    second mapping never matches its mg neighbour (the regression, d7597f59d1d3).
 *  - merge-any on, 6.17+: can_set_ksm_flags_early() (cf7e7a3503df) is true for anonymous memory,
 *    mmap_prepare files (ext4 from 6.17) and shmem; /dev/zero keeps a legacy .mmap (mmap_zero):
 *    late path, no merge (seen live on 6.18).
 */
import { describe, expect, it } from "vitest";
import {
  PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_SHARED, MAP_ANONYMOUS, MAP_FIXED, O_RDWR, O_CREAT,
  PR_SET_MEMORY_MERGE, VM_READ, VM_WRITE, VM_SHARED, VM_MAYSHARE, VM_ACCOUNT,
  type Process,
} from "mergeable";
import { MAY, MG, P, SD, carveout, expectVmas, hx } from "./helpers.ts";

type Backing = "anonymous" | "tmpfs (/dev/shm)" | "memfd" | "ext4 file" | "/dev/zero private";
const RW = PROT_READ | PROT_WRITE;

/** Map carveout pages 1 and 2; returns the pgoff of page 1. */
function mapTwo(p: Process, at: (n: number) => number, kind: Backing, shared = false): number {
  const type = shared ? MAP_SHARED : MAP_PRIVATE;
  if (kind === "anonymous") {
    p.mmap(at(1), P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    p.mmap(at(2), P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    return at(1) / P;
  }
  let fd: number;
  if (kind === "tmpfs (/dev/shm)") fd = p.open("/dev/shm/mergeable-test", O_RDWR | O_CREAT);
  else if (kind === "memfd") fd = p.memfd_create("mergeable-test");
  else if (kind === "ext4 file") fd = p.open("/var/lib/mergeable/test.bin", O_RDWR | O_CREAT);
  else fd = p.open("/dev/zero", O_RDWR);
  if (kind !== "/dev/zero private") p.ftruncate(fd, 16 * P);
  p.mmap(at(1), P, RW, type | MAP_FIXED, fd, 4 * P);
  p.mmap(at(2), P, RW, type | MAP_FIXED, fd, 5 * P);
  return 4;
}

const BACKINGS: Backing[] = ["anonymous", "tmpfs (/dev/shm)", "memfd", "ext4 file", "/dev/zero private"];
const rows: [Backing, boolean, string, boolean][] = [];
for (const b of BACKINGS) {
  for (const any of [false, true]) {
    for (const v of ["6.4", "6.16", "6.17", "6.18"]) {
      const minor = Number(v.split(".")[1]);
      const merges = !any || (minor >= 17 && b !== "/dev/zero private");
      rows.push([b, any, v, merges]);
    }
  }
}

describe.each(rows)("%s, merge-any %s, %s: merges = %s", (kind, any, v, merges) => {
  it("second adjacent mapping", () => {
    const b = carveout(v);
    if (any) b.p.prctl(PR_SET_MEMORY_MERGE, 1);
    const pg = mapTwo(b.p, b.at, kind);
    // Private RW: VM_ACCOUNT (accountable_mapping()); KSM-compatible, so mg under merge-any.
    const flags = VM_READ | VM_WRITE | MAY | VM_ACCOUNT | SD | (any ? MG : 0n);
    if (merges) {
      expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 3, flags, pgoff: pg }, { s: 3, e: 12 }]);
    } else {
      expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 2, flags, pgoff: pg }, { s: 2, e: 3, flags, pgoff: pg + 1 }, { s: 3, e: 12 }]);
    }
    if (kind !== "anonymous") expect(b.win()[1]!.file).not.toBeNull();
  });
});

/* MAP_SHARED memfd: VM_SHARED | VM_MAYSHARE make it KSM-incompatible, so no mg and it merges anyway. */
describe.each(["6.16", "6.17"])("MAP_SHARED memfd under merge-any on %s", (v) => {
  it("merges, never mg", () => {
    const b = carveout(v);
    b.p.prctl(PR_SET_MEMORY_MERGE, 1);
    mapTwo(b.p, b.at, "memfd", true);
    const flags = VM_READ | VM_WRITE | VM_SHARED | MAY | VM_MAYSHARE | SD;
    expectVmas(b, [{ s: 0, e: 1 }, { s: 1, e: 3, flags, pgoff: 4 }, { s: 3, e: 12 }]);
    expect(b.win()[1]!.flags).toBe(hx(flags));
  });
});
