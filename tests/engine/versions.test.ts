/** versions() and resolveVersion(): the profiles, the nearest-below rule, and clear refusals. */
import { describe, expect, it } from "vitest";
import { boot, versions, resolveVersion, KernelError, LATEST_VERSION } from "mergeable";
import { mnemonic } from "../../src/engine/mnemonics.ts";

const REQUIRED = ["6.1", "6.3", "6.4", "6.6", "6.7", "6.12", "6.15", "6.16", "6.17", "6.18"];

describe("kernel versions", () => {
  it("versions() lists at least the releases where modelled behaviour changes", () => {
    const vs = versions();
    for (const v of REQUIRED) expect(vs).toContain(v);
    expect(LATEST_VERSION).toBe("6.18");
  });

  it.each([["6.5", "6.4"], ["6.5.13", "6.4"], ["6.16.8", "6.16"], ["6.18.44-fc-v669", "6.18"], ["6.2.16", "6.2"], ["6.9", "6.8"], ["6.14.2", "6.14"]])("%s resolves to the %s profile", (given, want) => {
    expect(resolveVersion(given).name).toBe(want);
    expect(boot({ version: given }).version).toBe(want);
  });

  it("6.2 has a profile of its own: smaps names VM_LOCKONFAULT \"lf\" from 8614d6c5eda0 (6.2), 6.1 prints \"??\"", () => {
    expect(mnemonic(19, resolveVersion("6.1"))).toBe("??");
    expect(mnemonic(19, resolveVersion("6.2"))).toBe("lf");
  });

  it.each(["5.15", "7.0", "banana", "6.19", ""])("%j is a clear error listing the supported versions", (bad) => {
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
});
