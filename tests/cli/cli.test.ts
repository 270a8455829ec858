/**
 * The `mergeable` command, run as users run it: node bin/mergeable.mjs (what `npx mergeable`
 * starts), with real files, a live PID and standard input.
 */
import { spawnSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { LATEST_VERSION, VERSION_HISTORY } from "mergeable";

const BIN = fileURLToPath(new URL("../../bin/mergeable.mjs", import.meta.url));
const FIX = fileURLToPath(new URL("./fixtures/", import.meta.url));
const TMP = fileURLToPath(new URL("../.tmp/cli/", import.meta.url));
mkdirSync(TMP, { recursive: true });

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** In-process, for the cases that need no real process start. */
async function inproc(args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("mergeable run", () => {
  it("maps on 6.16 and 6.17: the scenario's two mappings are two VMAs, then one", () => {
    const r16 = cli(["run", `${FIX}merge-any.ts`, "--kernel", "6.16"]);
    const r17 = cli(["run", `${FIX}merge-any.ts`, "--kernel", "6.17"]);
    expect(r16.code).toBe(0);
    expect(r17.code).toBe(0);
    const n16 = Number(/map_count (\d+)/.exec(r16.out)![1]);
    const n17 = Number(/map_count (\d+)/.exec(r17.out)![1]);
    // 6.16: both new mappings stay apart from each other and from the anonymous VMA above them; 6.17: both join it.
    expect(n16).toBe(n17 + 2);
    expect(r16.out.split("\n").filter((l) => /^[0-9a-f]+-/.test(l)).length).toBe(n16 + 1); // + [vsyscall]
  });

  it("trace, smaps, json and c formats", async () => {
    const trace = (await inproc(["run", `${FIX}merge-any.ts`, "--kernel", "6.16", "--format", "trace"])).out;
    expect(trace).toMatch(/^prctl\(PR_SET_MEMORY_MERGE, 1.*\) = 0$/m);
    expect(trace).toMatch(/^ {4}nomerge \S+: did not merge with (prev|next) .*VM_MERGEABLE/m);
    const smaps = (await inproc(["run", `${FIX}merge-any.ts`, "--format=smaps"])).out;
    expect(smaps).toMatch(/^VmFlags: .*mg/m);
    const json = JSON.parse((await inproc(["run", `${FIX}merge-any.ts`, "--format", "json", "--kernel", "6.17"])).out);
    expect(json.version).toBe("6.17");
    expect(json.vmas.length).toBe(json.mapCount);
    const c = await inproc(["run", `${FIX}merge-any.ts`, "--format", "c"]);
    expect(c.out).toMatch(/#include <sys\/mman.h>/);
    expect(c.out).toMatch(/prctl\(/);
    expect(c.err).toContain("map_count"); // the scenario's log goes to stderr, not into the C program
  }, 120_000); // four runs, each in a worker that loads tsx and typescript

  it("a refused syscall: its errno and sentence on stderr, exit 1", async () => {
    const r = await inproc(["run", `${FIX}einval.ts`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: munmap: EINVAL: .*einval\.ts:3/);
  });

  it("bad usage: missing file, unknown format, unsupported kernel, syntax error", async () => {
    expect(await inproc(["run", `${FIX}nope.ts`])).toMatchObject({ code: 2, err: expect.stringContaining("does not exist") });
    expect(await inproc(["run", `${FIX}merge-any.ts`, "--format", "xml"])).toMatchObject({ code: 2, err: expect.stringContaining("--format must be one of") });
    expect(await inproc(["run", `${FIX}merge-any.ts`, "--kernel", "5.15"])).toMatchObject({ code: 2, err: expect.stringContaining("supported versions are 6.1") });
    writeFileSync(`${TMP}broken.ts`, "import { boot } from 'mergeable';\nconst = 3;\n");
    const r = await inproc(["run", `${TMP}broken.ts`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/broken\.ts:2/);
  });
});

describe("mergeable analyze, versions, help", () => {
  it("versions and --help", () => {
    const v = cli(["versions"]);
    expect(v.code).toBe(0);
    // One line per profile; --verbose adds its changed fields and commits, indented.
    for (const c of VERSION_HISTORY) expect(v.out).toMatch(new RegExp(`^${c.release.replace(/\./g, "\\.")}( \\(latest, the default\\))?$`, "m"));
    expect(v.out).toContain(`\n${LATEST_VERSION} (latest, the default)\n`);
    expect(v.out).not.toContain("590c03ca6a3f");
    const verbose = cli(["versions", "--verbose"]);
    expect(verbose.code).toBe(0);
    expect(verbose.out).toMatch(/^6\.18\.3\n {2}ksmdKeepsMergeAny=true\n {2}.*590c03ca6a3f/m);
    const h = cli(["--help"]);
    expect(h.code).toBe(0);
    expect(h.out).toContain("mergeable analyze <pid|file|->");
    expect(cli(["frobnicate"]).code).toBe(2);
  });

  it("a file made by the engine, from standard input and from a path", async () => {
    const smaps = JSON.parse((await inproc(["run", `${FIX}merge-any.ts`, "--format", "json", "--kernel", "6.16"])).out);
    const text = (await inproc(["run", `${FIX}merge-any.ts`, "--format", "smaps", "--kernel", "6.16"])).out.replace(/^map_count.*\n/, "");
    writeFileSync(`${TMP}smaps.txt`, text);
    const fromFile = cli(["analyze", `${TMP}smaps.txt`, "--kernel", "6.16"]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.out).toContain(`VMAs: ${smaps.mapCount} of vm.max_map_count`);
    expect(fromFile.out).toContain("PR_SET_MEMORY_MERGE regression pattern: 2 pairs");
    const fromStdin = cli(["analyze", "-", "--kernel", "6.16"], text);
    expect(fromStdin.out).toBe(fromFile.out.replace(`${TMP}smaps.txt`, "standard input"));
    const json = JSON.parse(cli(["analyze", `${TMP}smaps.txt`, "--json"]).out);
    expect(json.kernel.known).toBe(false);
  });

  it.runIf(process.platform === "linux")("a live PID: reads its smaps, ksm_stat, max_map_count and uname -r", async () => {
    const child = spawn("sleep", ["30"]);
    try {
      await new Promise((r) => setTimeout(r, 100));
      const r = cli(["analyze", String(child.pid)]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`/proc/${child.pid}/smaps`);
      expect(r.out).toMatch(/from uname -r/);
      expect(r.out).toMatch(/ksm_stat: merge_any no/);
    } finally {
      child.kill();
    }
  });

  it("bad input: maps instead of smaps, a missing PID, a missing file — message and exit 2", async () => {
    writeFileSync(`${TMP}maps.txt`, "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n");
    const m = cli(["analyze", `${TMP}maps.txt`]);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/this is \/proc\/PID\/maps[\s\S]*cat \/proc\/PID\/smaps/);
    expect(await inproc(["analyze", "999999999"])).toMatchObject({ code: 2, err: expect.stringContaining("no process with PID 999999999") });
    expect(await inproc(["analyze", `${TMP}none.txt`])).toMatchObject({ code: 2, err: expect.stringContaining("does not exist") });
    expect(await inproc(["analyze", `${TMP}smaps.txt`, "--bogus"])).toMatchObject({ code: 2, err: expect.stringContaining("unknown option --bogus") });
  });
});
