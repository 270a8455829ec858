/**
 * Can this machine's kernel answer? Linux, KSM built in, gcc with a static libc, and root (the
 * conformance claims are about a root process with KSM). When it cannot, kernel tests are
 * skipped with the reason; with MERGEABLE_REQUIRE_KERNEL=1 (set by .ci/run) a skip is a failure.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, it } from "vitest";
import { buildReplayer } from "./replayer.ts";

export interface KernelCapability {
  ok: boolean;
  /** Why the kernel cannot answer ("" when ok). */
  reason: string;
  /** `uname -r`, e.g. "6.18.44-fc-v669". */
  release: string;
}

function probe(): KernelCapability {
  if (process.platform !== "linux") return { ok: false, reason: `not Linux (platform ${process.platform})`, release: "" };
  const release = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  if (!existsSync("/sys/kernel/mm/ksm/run")) return { ok: false, reason: `kernel ${release} has no KSM (/sys/kernel/mm/ksm missing: CONFIG_KSM off)`, release };
  if (typeof process.getuid === "function" && process.getuid() !== 0) return { ok: false, reason: "not running as root", release };
  try {
    execFileSync("gcc", ["--version"], { stdio: "pipe" });
  } catch {
    return { ok: false, reason: "no C compiler: gcc not found in PATH", release };
  }
  try {
    buildReplayer();
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return { ok: false, reason: `gcc could not build tests/kernel/replayer/replay.c (libc headers missing? install libc6-dev): ${err.stderr?.toString() ?? err.message}`, release };
  }
  return { ok: true, reason: "", release };
}

let cached: KernelCapability | null = null;
export function kernelCapability(): KernelCapability {
  return (cached ??= probe());
}

export const REQUIRED = process.env.MERGEABLE_REQUIRE_KERNEL === "1";

/**
 * `describe` that runs only when the kernel can answer. Otherwise the suite is skipped with the
 * reason in its title, or (MERGEABLE_REQUIRE_KERNEL=1) it fails with that reason.
 */
export function describeKernel(name: string, fn: () => void): void {
  const cap = kernelCapability();
  if (cap.ok) {
    describe(name, fn);
  } else if (REQUIRED) {
    describe(name, () => {
      it("the real kernel must be available (MERGEABLE_REQUIRE_KERNEL=1)", () => {
        throw new Error(`kernel conformance is required here but the kernel cannot answer: ${cap.reason}`);
      });
    });
  } else {
    describe.skip(`${name} — skipped: ${cap.reason}`, fn);
  }
}

/**
 * The running kernel's Kconfig as far as the engine models it (KernelConfig). Read from
 * /proc/config.gz; CONFIG_MEM_SOFT_DIRTY is also visible in smaps itself (every VMA of a process
 * carries "sd" when it is configured), which is the fallback when config.gz is absent.
 */
export function runningConfig(): { softDirty: boolean; anonVmaName: boolean } {
  let config = "";
  try {
    config = gunzipSync(readFileSync("/proc/config.gz")).toString("utf8");
  } catch {
    // no CONFIG_IKCONFIG_PROC
  }
  const smaps = readFileSync("/proc/self/smaps", "utf8");
  const softDirty = config ? /^CONFIG_MEM_SOFT_DIRTY=y$/m.test(config) : /^VmFlags:.* sd /m.test(smaps);
  const anonVmaName = config ? /^CONFIG_ANON_VMA_NAME=y$/m.test(config) : true;
  return { softDirty, anonVmaName };
}

/**
 * The running machine as the engine's overcommit model reads it: vm.overcommit_memory and
 * vm.overcommit_ratio, MemTotal (totalram_pages()) and SwapTotal, as boot options.
 */
export function runningMemory(): { overcommitMemory: 0 | 1 | 2; overcommitRatio: number; ramBytes: number; swapBytes: number } {
  const meminfo = readFileSync("/proc/meminfo", "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(meminfo)?.[1] ?? 0) * 1024;
  const sysctl = (name: string) => Number(readFileSync(`/proc/sys/vm/${name}`, "utf8").trim());
  return { overcommitMemory: sysctl("overcommit_memory") as 0 | 1 | 2, overcommitRatio: sysctl("overcommit_ratio"), ramBytes: kb("MemTotal"), swapBytes: kb("SwapTotal") };
}

/** Huge pages in the hugetlb pool (HugePages_Total): the engine models an empty pool. */
export function hugePagesTotal(): number {
  return Number(/^HugePages_Total:\s+(\d+)$/m.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0);
}
