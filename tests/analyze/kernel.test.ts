/**
 * The analyser against the real kernel: processes with known fragmentation (tests/analyze/fragment.c)
 * and exactly the touching pairs the kernel left in their 256-page window, with the right reason.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { analyzeSmaps, type Analysis, type PairKind } from "../../src/analyze/index.ts";
import { describeKernel, fragment, runningVersion, type Fragmented } from "./helper.ts";

const P = 4096;

/** Pairs inside [base, base + 256 pages): boundary page offset → kind and differing mnemonics. */
function pairsInWindow(a: Analysis, base: number) {
  return a.pairs
    .filter((p) => Number(a.vmas[p.left]!.end) > base && Number(a.vmas[p.left]!.end) < base + 256 * P)
    .map((p) => {
      const r = a.reasons[p.reason]!;
      return { page: (Number(a.vmas[p.left]!.end) - base) / P, kind: r.kind as PairKind, diff: [...r.onlyLeft, ...r.onlyRight].sort().join(" "), suspect: r.suspect };
    });
}

/** Boundaries where two VMAs touch, straight from the kernel's maps, for the same window. */
function kernelBoundaries(maps: string, base: number): number[] {
  const out: number[] = [];
  let prevEnd = -1;
  for (const line of maps.split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (!m) continue;
    const s = parseInt(m[1]!, 16);
    const e = parseInt(m[2]!, 16);
    if (s === prevEnd && s > base && s < base + 256 * P) out.push((s - base) / P);
    prevEnd = e;
  }
  return out;
}

describeKernel("analyser on the real kernel", () => {
  const procs = new Map<string, Fragmented>();
  const analysis = new Map<string, Analysis>();
  beforeAll(async () => {
    for (const mode of ["mprotect", "madvise", "mergeany", "anonvma"]) {
      const f = await fragment(mode);
      procs.set(mode, f);
      analysis.set(mode, analyzeSmaps(f.smaps, { kernel: runningVersion(), source: `/proc/${f.pid}/smaps` }));
    }
  });
  afterAll(async () => {
    for (const f of procs.values()) await f.stop();
  });

  it("alternating protections: 7 pairs, each differing in wr only (the pages were faulted, so ac stays)", () => {
    const f = procs.get("mprotect")!;
    const got = pairsInWindow(analysis.get("mprotect")!, f.base);
    expect(got.map((p) => p.page)).toEqual(kernelBoundaries(f.maps, f.base));
    expect(got).toEqual([5, 6, 7, 8, 9, 10, 11].map((page) => ({ page, kind: "flags", diff: "wr", suspect: false })));
  });

  it("partial madvise ranges: MADV_MERGEABLE splits off mg, MADV_DONTDUMP splits off dd", () => {
    const f = procs.get("madvise")!;
    const got = pairsInWindow(analysis.get("madvise")!, f.base);
    expect(got.map((p) => p.page)).toEqual(kernelBoundaries(f.maps, f.base));
    expect(got).toEqual([
      { page: 6, kind: "flags", diff: "mg", suspect: false },
      { page: 8, kind: "flags", diff: "mg", suspect: false },
      { page: 10, kind: "flags", diff: "dd", suspect: false },
      { page: 12, kind: "flags", diff: "dd", suspect: false },
    ]);
  });

  it("merge-any with file mappings: anon, ext4 and memfd merge; /dev/zero keeps the late flag; offsets, files and struct files split", () => {
    const f = procs.get("mergeany")!;
    const a = analysis.get("mergeany")!;
    const got = pairsInWindow(a, f.base);
    expect(got.map((p) => p.page)).toEqual(kernelBoundaries(f.maps, f.base));
    expect(got.map(({ page, kind, suspect }) => ({ page, kind, suspect }))).toEqual([
      { page: 38, kind: "ksm-late-file", suspect: true },
      { page: 70, kind: "pgoff", suspect: false },
      { page: 86, kind: "file", suspect: false },
      { page: 102, kind: "file-struct", suspect: true },
    ]);
    const late = a.reasons.find((r) => r.kind === "ksm-late-file")!;
    expect(late.text).toContain("/dev/zero");
    expect(late.kernelCheck).toContain("legacy .mmap hook");
    expect(a.summary.regressionPairs).toBe(1);
  });

  it("two anon_vmas side by side: identical smaps entries, named as different anon_vmas", () => {
    const f = procs.get("anonvma")!;
    const a = analysis.get("anonvma")!;
    const got = pairsInWindow(a, f.base);
    expect(got.map((p) => p.page)).toEqual(kernelBoundaries(f.maps, f.base));
    expect(got).toEqual([{ page: 7, kind: "anon-vma", diff: "", suspect: true }]);
    const r = a.reasons.find((x) => x.kind === "anon-vma")!;
    expect(r.text).toContain("Both have anonymous pages");
    expect(r.kernelCheck).toMatch(/anon_vma differs/);
    expect(a.summary.vmasIfMerged).toBe(a.summary.vmaCount - a.summary.suspectPairs);
  });

  it("every pair the kernel left anywhere in the process is reported, and only those", () => {
    for (const [mode, f] of procs) {
      const a = analysis.get(mode)!;
      const touching = f.maps.split("\n").filter(Boolean).map((l) => l.split(" ")[0]!.split("-").map((x) => parseInt(x, 16)));
      let n = 0;
      for (let i = 1; i < touching.length; i++) if (touching[i]![0] === touching[i - 1]![1]) n++;
      expect(a.pairs.length, mode).toBe(n);
    }
  });
});
