// The x86-64 vDSO mappings of a fresh process (arch/x86/entry/vdso/vma.c map_vdso()), per release:
// [vvar] 4 pages and [vdso] 2 until 6.12; [vvar] 2 + [vvar_vclock] 2 from 6.13 (e93d2521b27f);
// [vvar] 4 + [vvar_vclock] 2 from 6.15 (dafde29605eb), which moves everything mapped below 8 KiB down.
import { describe, expect, it } from "vitest";
import { boot } from "mergeable";
import { P } from "./helpers";

function specials(version: string) {
  const vmas = boot({ version }).spawn().vmas();
  const i = vmas.findIndex((v) => v.name === "[vvar]");
  return {
    layout: vmas.filter((v) => /^\[(vvar|vvar_vclock|vdso)\]$/.test(v.name)).map((v) => `${v.name} ${(v.end - v.start) / P}`),
    below: vmas[i - 1]!.end,
    count: vmas.length,
  };
}

describe("vDSO special mappings", () => {
  it.each([
    ["6.12", ["[vvar] 4", "[vdso] 2"]],
    ["6.13", ["[vvar] 2", "[vvar_vclock] 2", "[vdso] 2"]],
    ["6.14", ["[vvar] 2", "[vvar_vclock] 2", "[vdso] 2"]],
    ["6.15", ["[vvar] 4", "[vvar_vclock] 2", "[vdso] 2"]],
    ["6.18.8", ["[vvar] 4", "[vvar_vclock] 2", "[vdso] 2"]],
  ])("%s: %j, adjacent, in that order", (version, want) => {
    expect(specials(version).layout).toEqual(want);
  });

  it("6.13 adds one VMA at the same addresses; 6.15 moves the mappings below [vvar] down by 2 pages", () => {
    const [a, b, c] = ["6.12", "6.13", "6.15"].map(specials);
    expect(b!.count).toBe(a!.count + 1);
    expect(b!.below).toBe(a!.below);
    expect(c!.count).toBe(b!.count);
    expect(c!.below).toBe(b!.below - 2 * P);
  });
});
