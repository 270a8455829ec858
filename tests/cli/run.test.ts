/**
 * `mergeable run` as a user meets it (node bin/mergeable.mjs): a time limit that stops a busy
 * loop, a closed pipe, --help of every command, an unhandled rejection with its scenario line.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LATEST_VERSION, versions } from "mergeable";

const BIN = fileURLToPath(new URL("../../bin/mergeable.mjs", import.meta.url));
const FIX = fileURLToPath(new URL("./fixtures/", import.meta.url));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

describe("mergeable run --timeout", () => {
  it("stops while (true) {} and says so: the file, the limit, the syscall count", () => {
    const r = cli(["run", `${FIX}loop.ts`, "--timeout", "1"]);
    expect(r.signal).toBe(null); // not killed by the test's own 60 s limit
    expect(r.code).toBe(1);
    expect(r.err).toBe("error: loop.ts was stopped after 1 s (--timeout 1): fewer than 1,024 syscalls so far, and none in its last second: an infinite loop?\n");
  });

  it("a scenario still making calls is told apart from a stuck one", () => {
    const r = cli(["run", `${FIX}busy.ts`, "--timeout", "2"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: busy\.ts was stopped after 2 s \(--timeout 2\): at least [\d,]+ syscalls so far, and it was still making calls/);
    expect(Number(/at least ([\d,]+)/.exec(r.err)![1]!.replace(/,/g, "")) % 1024).toBe(0);
  });

  it("refuses a timeout that is not a number of seconds; the default is in the help", () => {
    expect(cli(["run", `${FIX}loop.ts`, "--timeout", "-1"])).toMatchObject({ code: 2, err: expect.stringContaining("--timeout must be a number of seconds") });
    expect(cli(["run", "--help"]).out).toContain("--timeout seconds (default 30; 0: no limit)");
  });
});

describe("mergeable run, other ways out", () => {
  it("| head -1: the closed pipe ends it quietly, with the command's own status 0", () => {
    const r = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${BIN}" run "${FIX}many-lines.ts" | head -1`], { encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toBe("line 0\n");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("--help of every command prints that command's usage, exit 0", () => {
    for (const [cmd, usage] of [["run", "mergeable run <scenario.ts>"], ["analyze", "mergeable analyze <pid|file|->"], ["versions", "mergeable versions"]] as const) {
      for (const flag of ["--help", "-h"]) {
        const r = cli([cmd, flag]);
        expect(r, `${cmd} ${flag}`).toMatchObject({ code: 0, err: "" });
        expect(r.out).toMatch(new RegExp(`^Usage:\\n  ${usage.replace(/[|<>.]/g, "\\$&")}`));
      }
    }
    expect(cli(["run", `${FIX}loop.ts`, "--help"]).code).toBe(0); // help, not a run
  });

  it("a top-level rejected promise: a message with the scenario's file:line, no Node trace", () => {
    const r = cli(["run", `${FIX}reject.ts`]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("error: unhandled promise rejection: Error: no memory for you (reject.ts:3)\n");
    expect(r.out).toMatch(/^\d+\n/); // what the scenario printed before the promise was rejected
    const v = cli(["run", `${FIX}reject-value.ts`]);
    expect(v.code).toBe(1);
    expect(v.err).toMatch(/^error: unhandled promise rejection: 42 \(reject-value\.ts:[34]\)\n$/);
  });
});

describe("start-up", () => {
  it("versions and --help load neither tsx nor typescript: they work in a copy with no node_modules", () => {
    const dir = mkdtempSync(join(tmpdir(), "mergeable-bare-"));
    try {
      for (const f of ["bin/mergeable.mjs", "src/cli/help.mjs", "src/engine/version.ts"]) cpSync(fileURLToPath(new URL(`../../${f}`, import.meta.url)), join(dir, f));
      const run = (args: string[]) => spawnSync(process.execPath, [join(dir, "bin/mergeable.mjs"), ...args], { encoding: "utf8", cwd: dir });
      const v = run(["versions"]);
      expect(v.stderr).toBe("");
      expect(v.stdout).toBe(versions().map((x) => (x === LATEST_VERSION ? `${x} (latest, the default)` : x)).join("\n") + "\n");
      for (const args of [["--help"], ["run", "--help"], ["analyze", "-h"]]) expect(run(args), args.join(" ")).toMatchObject({ status: 0, stderr: "" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("mergeable run from its prebuilt bundle (src/cli/bundle.mjs)", () => {
  const run = (env: Record<string, string>, format: string) =>
    spawnSync(process.execPath, [BIN, "run", `${FIX}merge-any.ts`, "--format", format], {
      encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } });

  it("prints exactly what the sources run through tsx print, in every format", () => {
    for (const format of ["maps", "smaps", "trace", "json", "c"]) {
      const bundled = run({}, format), sources = run({ MERGEABLE_NO_BUNDLE: "1" }, format);
      expect(bundled.status).toBe(sources.status);
      expect(bundled.stdout).toBe(sources.stdout);
      expect(bundled.stderr).toBe(sources.stderr);
    }
  }, 300_000);
});
