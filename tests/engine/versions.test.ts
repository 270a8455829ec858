/** versions() and resolveVersion(): the profiles, the nearest-below rule, and clear refusals. */
import { describe, expect, it } from "vitest";
import { boot, versions, resolveVersion, KernelError, LATEST_VERSION, VERSION_HISTORY } from "mergeable";
import { mnemonic } from "../../src/engine/mnemonics.ts";

/** The releases where modelled behaviour changes: the rows of the version history that change a field. */
const REQUIRED = VERSION_HISTORY.filter((c) => Object.keys(c.set).length > 0).map((c) => c.release);

describe("kernel versions", () => {
  it("versions() lists every release where modelled behaviour changes, oldest first; the newest is the default", () => {
    expect(versions()).toEqual(VERSION_HISTORY.map((c) => c.release));
    for (const v of REQUIRED) expect(versions()).toContain(v);
    expect(LATEST_VERSION).toBe(versions()[versions().length - 1]);
    expect(boot({}).version).toBe(LATEST_VERSION);
  });

  it.each([
    ["6.5", "6.4"], ["6.5.13", "6.4"], ["6.16.8", "6.16"], ["6.2.16", "6.2"], ["6.9", "6.8"], ["6.14.2", "6.14"],
    // 6.18.y point releases, compared as (major, minor, patch): 590c03ca6a3f is in 6.18.3, 61f67c230a5e in 6.18.8.
    ["6.18", "6.18"], ["6.18.2", "6.18"], ["6.18.3", "6.18.3"], ["6.18.7", "6.18.3"], ["6.18.8", "6.18.8"],
    ["6.18.44-fc-v669", "6.18.37"], ["6.18.3-rc1", "6.18.3"], ["v6.18.10", "6.18.8"], ["6.18.20", "6.18.8"],
    // 2697dd8ae721 is in 6.18.21 and 7.0, not 6.19.0; 7.x compares as (major, minor), not as a 6.x minor.
    ["6.18.21", "6.18.21"], ["6.18.36", "6.18.21"], ["6.18.37", "6.18.37"], ["6.19.10", "6.19"], ["7.0.3", "7.0"], ["7.1.5", "7.1"], ["v7.1", "7.1"],
  ])("%s resolves to the %s profile", (given, want) => {
    expect(resolveVersion(given).name).toBe(want);
    expect(boot({ version: given }).version).toBe(want);
  });

  it("6.2 has a profile of its own: smaps names VM_LOCKONFAULT \"lf\" from 8614d6c5eda0 (6.2), 6.1 prints \"??\"", () => {
    expect(mnemonic(19, resolveVersion("6.1"))).toBe("??");
    expect(mnemonic(19, resolveVersion("6.2"))).toBe("lf");
  });

  it.each(["5.15", "7.2", "banana", "8.0", "6.0", ""])("%j is a clear error listing the supported versions", (bad) => {
    let err: unknown;
    try {
      boot({ version: bad });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KernelError);
    const e = err as KernelError;
    expect(e.errno).toBe("EINVAL");
    for (const v of REQUIRED) expect(e.message).toContain(v);
    if (bad) expect(e.message).toContain(bad === "banana" ? "banana" : bad.split(".").slice(0, 2).join("."));
  });

  it("6.18.0-6.18.2 still let ksmd clear MMF_VM_MERGE_ANY; 6.18.3+ (590c03ca6a3f) and 6.18.8+ (61f67c230a5e) differ", () => {
    expect(resolveVersion("6.18.2").ksmdKeepsMergeAny).toBe(false);
    expect(resolveVersion("6.18.3").ksmdKeepsMergeAny).toBe(true);
    expect(resolveVersion("6.18.7").copiedFrom).toBe(false);
    expect(resolveVersion("6.18.8").copiedFrom).toBe(true);
  });

  it("profiles switch where the kernel changed", () => {
    expect(resolveVersion("6.3").prctlMemoryMerge).toBe(false);
    expect(resolveVersion("6.4").ksmFlagTiming).toBe("late");
    expect(resolveVersion("6.16").ksmFlagTiming).toBe("late");
    expect(resolveVersion("6.17").ksmFlagTiming).toBe("early");
    expect(resolveVersion("6.15").anonVmaRule).toBe("legacy");
    expect(resolveVersion("6.16").anonVmaRule).toBe("uncowed");
    expect(resolveVersion("6.11").mergeEngine).toBe("legacy");
    expect(resolveVersion("6.12").mergeEngine).toBe("vmg");
    expect(resolveVersion("6.16").ext4MmapPrepare).toBe(false);
    expect(resolveVersion("6.17").ext4MmapPrepare).toBe(true);
  });

  it("6.13 brings guard regions, 6.15 for any VMA, 6.18.37 (6.19 mainline) sticky flags and VM_MAYBE_GUARD", () => {
    expect(["6.12", "6.13", "6.14", "6.15", "7.1"].map((v) => resolveVersion(v).guardRegions))
      .toEqual(["none", "anon", "anon", "any", "any"]);
    for (const f of ["stickyFlags", "guardMarksVma", "smapsGu"] as const) {
      expect(resolveVersion("6.18.36")[f], f).toBe(false);
      expect(resolveVersion("6.18.37")[f], f).toBe(true);
      expect(resolveVersion("6.19")[f], f).toBe(true);
    }
    expect(mnemonic(11, resolveVersion("6.18.36"))).toBe("??");
    expect(mnemonic(11, resolveVersion("6.19"))).toBe("gu");
    expect(resolveVersion("6.9").mseal).toBe(false);
    expect(resolveVersion("6.10").mseal).toBe(true);
  });

  // 7.0's anon_vma cleanup (anon_vma_merge() removed, anon_vma_clone(dst, src, enum vma_operation))
  // and 7.1's vma_flags_t change no modelled outcome: the profiles equal 6.19's but for the mseal fix.
  it("7.0 differs from 6.19 only in the mseal merge fix (2697dd8ae721), 7.1 from 7.0 only in the F_SEAL_EXEC order", () => {
    const fields = (v: string) => {
      const { name: _n, release: _r, ...rest } = resolveVersion(v);
      return rest;
    };
    expect({ ...fields("7.0"), msealStaleStart: true }).toEqual(fields("6.19"));
    expect({ ...fields("7.1"), sealExecImpliesWriteFirst: false }).toEqual(fields("7.0"));
  });
});
