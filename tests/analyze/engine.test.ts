/**
 * The analyser on address spaces the engine built, where the hidden state (anon_vmas) is known:
 * the regression is named on 6.4-6.16 and only there, VM_SPECIAL, and agreement with the engine's
 * own VMAs for every pair.
 */
import { describe, expect, it } from "vitest";
import { boot, PAGE_SIZE as P, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, MAP_FIXED,
  PR_SET_MEMORY_MERGE, O_RDWR, MADV_MERGEABLE, type Process } from "mergeable";
import { analyzeSmaps, formatReport, vmaViews, suspectWindows } from "../../src/analyze/index.ts";

const RW = PROT_READ | PROT_WRITE;

/** A merge-any process that maps `n` one-page anonymous mappings side by side (an allocator's pattern). */
function mergeAnyPages(version: string, n: number): { p: Process; a: number } {
  const p = boot({ version, trace: false }).spawn();
  p.prctl(PR_SET_MEMORY_MERGE, 1);
  // A hole with a free page each side, so no existing VMA touches the mappings.
  const a = p.mmap(0, (n + 2) * P, RW, MAP_PRIVATE | MAP_ANONYMOUS) + P;
  p.munmap(a - P, (n + 2) * P);
  for (let i = 0; i < n; i++) p.mmap(a + i * P, P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
  return { p, a };
}

const kindsIn = (an: ReturnType<typeof analyzeSmaps>, from: number, to: number) =>
  an.pairs.filter((x) => an.vmas[x.left]!.end > from && an.vmas[x.left]!.end < to).map((x) => an.reasons[x.reason]!.kind);

describe("flag differences", () => {
  const pairText = (mprotectToo: boolean) => {
    const p = boot({ version: "6.18", trace: false }).spawn();
    const a = p.mmap(0, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS);
    p.madvise(a, 2 * P, MADV_MERGEABLE);
    if (mprotectToo) p.mprotect(a, 2 * P, PROT_READ);
    const an = analyzeSmaps(p.smaps(), { kernel: "6.18" });
    const pair = an.pairs.find((x) => an.vmas[x.left]!.end === BigInt(a + 2 * P))!;
    return an.reasons[pair.reason]!.text;
  };
  it("mg alone: KSM's madvise() on part of a range is the reason", () => {
    expect(pairText(false)).toContain("madvise(MADV_MERGEABLE) on a sub-range splits the VMA");
  });
  it("mg beside wr: the permissions decide, and mg is mentioned second", () => {
    const t = pairText(true);
    expect(t).not.toContain("sub-range splits");
    expect(t).toContain("The other flags alone keep these VMAs apart; mg differs as well.");
  });
});

describe("the PR_SET_MEMORY_MERGE regression pattern", () => {
  it("6.16: 8 one-page mappings stay 8 VMAs; the 7 boundaries are named as the regression, with the engine's reason", () => {
    const { p, a } = mergeAnyPages("6.16", 8);
    const an = analyzeSmaps(p.smaps(), { kernel: "6.16" });
    expect(kindsIn(an, a, a + 8 * P)).toEqual(Array(7).fill("ksm-regression"));
    const r = an.reasons.find((x) => x.kind === "ksm-regression")!;
    expect(r.kernelCheck).toMatch(/VM_MERGEABLE \(mg\): the left VMA has it.*ksm_add_vma\(\).*d7597f59d1d3/);
    expect(r.text).toContain("/regression/");
    expect(an.summary.regressionPairs).toBe(7);
    expect(an.runs[0]).toMatchObject({ start: BigInt(a), end: BigInt(a + 8 * P), vmas: 8, kind: "ksm-regression" });
    expect(an.summary.vmasIfMerged).toBe(p.map_count - 7);
    expect(formatReport(an)).toContain("PR_SET_MEMORY_MERGE regression pattern: 7 pairs");
  });

  it("6.17: the same program leaves one VMA, so nothing to report there", () => {
    const { p, a } = mergeAnyPages("6.17", 8);
    expect(kindsIn(analyzeSmaps(p.smaps(), { kernel: "6.17" }), a, a + 8 * P)).toEqual([]);
  });

  it("the same 6.16 smaps read as 6.18 is not called the regression; with the kernel unknown it is hedged", () => {
    const { p, a } = mergeAnyPages("6.16", 4);
    const as618 = analyzeSmaps(p.smaps(), { kernel: "6.18" });
    expect(kindsIn(as618, a, a + 4 * P)).toEqual(Array(3).fill("anon-vma"));
    expect(as618.reasons.find((r) => r.kind === "anon-vma")!.text).toContain("not the PR_SET_MEMORY_MERGE regression");
    const unknown = analyzeSmaps(p.smaps());
    expect(unknown.kernel.known).toBe(false);
    expect(unknown.reasons.find((r) => r.kind === "ksm-regression")!.text).toContain("If this kernel is 6.4-6.16");
  });

  it("6.1 has no prctl: identical mg VMAs made by madvise are different anon_vmas, not the regression", () => {
    const p = boot({ version: "6.1", trace: false }).spawn();
    // A and B faulted apart (two anon_vmas), then C fills the hole and joins A.
    const a = p.mmap(0, 7 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS) + P;
    p.munmap(a - P, 7 * P);
    p.mmap(a, 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    p.poke(a, 1);
    p.mmap(a + 3 * P, 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    p.poke(a + 3 * P, 1);
    p.mmap(a + 2 * P, P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    p.madvise(a, 5 * P, MADV_MERGEABLE);
    const an = analyzeSmaps(p.smaps(), { kernel: "6.1" });
    const truth = p.vmas().filter((v) => v.start >= a && v.end <= a + 5 * P);
    expect(truth.length).toBe(2);
    expect(truth[0]!.anonVma).not.toBe(truth[1]!.anonVma);
    expect(kindsIn(an, a, a + 5 * P)).toEqual(["anon-vma"]);
  });
});

describe("VM_SPECIAL", () => {
  it("two adjacent /dev/mem mappings: never merge, no predicate consulted", () => {
    const p = boot({ version: "6.17", trace: false }).spawn();
    const fd = p.open("/dev/mem", O_RDWR);
    const hi = p.mmap(0, 2 * P, RW, MAP_PRIVATE, fd, 2 * P);
    p.mmap(hi - 2 * P, 2 * P, RW, MAP_PRIVATE, fd, 0);
    const an = analyzeSmaps(p.smaps(), { kernel: "6.17" });
    expect(kindsIn(an, hi - 2 * P, hi + 2 * P)).toEqual(["special"]);
    expect(an.reasons.find((r) => r.kind === "special")!.text).toMatch(/the left VMA has .*io.*pf/);
  });
});

describe("agreement with the engine's own VMAs", () => {
  it("non-suspect pairs differ visibly; suspect pairs differ only in what smaps hides", () => {
    for (const version of ["6.4", "6.12", "6.16", "6.18"]) {
      const { p } = mergeAnyPages(version, 6);
      const q = p.mmap(0, 6 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS);
      p.memset(q, 1, 6 * P);
      p.mprotect(q + P, P, PROT_READ);
      p.madvise(q + 3 * P, 2 * P, MADV_MERGEABLE);
      const views = p.vmas();
      const an = analyzeSmaps(p.smaps(), { kernel: version });
      expect(an.vmas.length).toBe(views.length);
      for (const pair of an.pairs) {
        const [l, r] = [views[pair.left]!, views[pair.left + 1]!];
        const reason = an.reasons[pair.reason]!;
        // VM_SPECIAL shows in smaps too (io pf de mm): [vvar] next to [vvar_vclock] (6.13+) has equal flags.
        const special = / (io|pf|de|mm) /.test(` ${l.vmflags} `);
        const visible = l.vmflags !== r.vmflags || special || l.file !== r.file ||
          (l.file !== null && l.pgoff + (l.end - l.start) / P !== r.pgoff);
        expect(reason.suspect, `${version} at ${l.end.toString(16)}: ${reason.text}`).toBe(!visible);
        if (reason.suspect && reason.kind === "anon-vma") expect(l.anonVma).not.toBe(r.anonVma);
      }
    }
  });

  it("views for the site's diagram: one per VMA, suspect boundaries marked", () => {
    const { p, a } = mergeAnyPages("6.16", 5);
    const an = analyzeSmaps(p.smaps(), { kernel: "6.16" });
    expect(vmaViews(an).length).toBe(p.map_count);
    const w = suspectWindows(an)[0]!;
    expect(w.suspects).toEqual([1, 2, 3, 4].map((i) => a + i * P));
  });
});
