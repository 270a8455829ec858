/**
 * Real-kernel helpers for the analyser tests: can this machine answer (Linux, gcc, root for
 * prctl(PR_SET_MEMORY_MERGE)), build tests/analyze/fragment.c, run it in a mode and read its smaps
 * while it waits. Skips with the reason; MERGEABLE_REQUIRE_KERNEL=1 turns a skip into a failure.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

export const TMP = fileURLToPath(new URL("../.tmp/analyze/", import.meta.url));
const SRC = fileURLToPath(new URL("./fragment.c", import.meta.url));
export const FRAGMENT = `${TMP}fragment`;

function probe(): string {
  if (process.platform !== "linux") return `not Linux (platform ${process.platform})`;
  if (!existsSync("/sys/kernel/mm/ksm/run")) return "the kernel has no KSM (CONFIG_KSM off)";
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "not root: prctl(PR_SET_MEMORY_MERGE) needs CAP_SYS_RESOURCE";
  try {
    mkdirSync(TMP, { recursive: true });
    execFileSync("gcc", ["-O1", "-Wall", "-o", FRAGMENT, SRC], { stdio: "pipe" });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return `gcc could not build tests/analyze/fragment.c: ${err.stderr?.toString() || err.message}`;
  }
  return "";
}

let reason: string | null = null;
export const kernelUnavailable = (): string => (reason ??= probe());

/** describe() on the real kernel, skipped with the reason (or failing under MERGEABLE_REQUIRE_KERNEL=1). */
export function describeKernel(name: string, fn: () => void): void {
  const why = kernelUnavailable();
  if (!why) describe(name, fn);
  else if (process.env.MERGEABLE_REQUIRE_KERNEL === "1") {
    describe(name, () => it("needs the real kernel (MERGEABLE_REQUIRE_KERNEL=1)", () => { throw new Error(`the real kernel cannot answer: ${why}`); }));
  } else describe.skip(`${name} — skipped: ${why}`, fn);
}

/** The running kernel's `uname -r` (e.g. "6.18.44-fc"): the engine resolves it to its profile. */
export function runningVersion(): string {
  return readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
}

export interface Fragmented {
  pid: number;
  base: number;
  smaps: string;
  maps: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Start `fragment MODE`, wait for its "base 0x..." line, read its smaps and maps while it blocks. */
export function fragment(mode: string): Promise<Fragmented> {
  return new Promise((resolve, reject) => {
    const child = spawn(FRAGMENT, [mode, TMP], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    child.on("exit", (code) => { if (!out.includes("\n")) reject(new Error(`fragment ${mode} exited ${code}: ${err}`)); });
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /base 0x([0-9a-f]+)\n/.exec(out);
      if (!m) return;
      const pid = child.pid!;
      const smaps = readFileSync(`/proc/${pid}/smaps`, "utf8");
      const maps = readFileSync(`/proc/${pid}/maps`, "utf8");
      const stop = () => new Promise<void>((r) => { child.on("close", () => r()); child.stdin!.end(); });
      resolve({ pid, base: parseInt(m[1]!, 16), smaps, maps, child, stop });
    });
  });
}
