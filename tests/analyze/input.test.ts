/**
 * Bad analyser input, as `mergeable analyze` meets it: control characters are never echoed raw,
 * each file's error names that file, standard input stops at the cap, addresses stay exact to
 * the last digit, and what the kernel would not print is warned about.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyzeSmaps, MAX_CHARS, parseMaxMapCount, printable, printableText } from "../../src/analyze/index.ts";

const BIN = fileURLToPath(new URL("../../bin/mergeable.mjs", import.meta.url));
const TMP = fileURLToPath(new URL("../.tmp/analyze-input/", import.meta.url));
mkdirSync(TMP, { recursive: true });

function cli(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
/** Any C0 (but the newline), DEL or C1 character: what a terminal would act on. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const VMA = (range: string, name = "", flags = "rd wr mr mw me ac") =>
  `${range} rw-p 00000000 00:00 0${name ? "                          " + name : " "}\nRss:                   4 kB\nVmFlags: ${flags}\n`;

describe("terminal escape injection", () => {
  const ESC = "\x1b]0;owned\x07\x1b[2J\x1b[31m";

  it("a bad smaps line full of ESC sequences is echoed with \\x1b, not as the bytes", () => {
    writeFileSync(`${TMP}esc.txt`, VMA("7f0000000000-7f0000001000") + `Rss ${ESC}\x7f\x9b\n` + VMA("7f0000002000-7f0000003000"));
    const r = cli(["analyze", `${TMP}esc.txt`]);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(RAW_CONTROL);
    expect(r.err).toContain(String.raw`Rss \x1b]0;owned\x07\x1b[2J\x1b[31m\x7f\x9b`);
  });

  it("a binary --ksm-stat file: escaped, and the hint names /proc/PID/ksm_stat, not smaps", () => {
    writeFileSync(`${TMP}smaps.txt`, VMA("7f0000000000-7f0000001000"));
    writeFileSync(`${TMP}ksm.bin`, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x1b, 0x5b, 0x32, 0x4a, 0, 0, 0x0a]));
    const r = cli(["analyze", `${TMP}smaps.txt`, "--ksm-stat", `${TMP}ksm.bin`]);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(RAW_CONTROL);
    expect(r.err).toContain("Expected: the text of /proc/PID/ksm_stat");
    expect(r.err).not.toContain("/proc/PID/smaps");
    expect(r.err).toContain("cat /proc/PID/ksm_stat");
    writeFileSync(`${TMP}ksm-esc.txt`, `ksm_rmap_items 3\n${ESC}\n`);
    const e = cli(["analyze", `${TMP}smaps.txt`, "--ksm-stat", `${TMP}ksm-esc.txt`]);
    expect(e.err).not.toMatch(RAW_CONTROL);
    expect(e.err).toContain(String.raw`"\x1b]0;owned\x07\x1b[2J\x1b[31m" is not a ksm_stat line`);
  });

  it("VMA names in the report and option values in usage errors are escaped too", () => {
    writeFileSync(`${TMP}name.txt`, VMA("7f0000000000-7f0000001000", `/tmp/${ESC}`, "rd wr mr mw me") + VMA("7f0000001000-7f0000002000", "", "rd wr mr mw me ac"));
    const r = cli(["analyze", `${TMP}name.txt`]);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(RAW_CONTROL);
    expect(r.out).toContain(String.raw`/tmp/\x1b]0;owned\x07`);
    const u = cli(["analyze", `${TMP}name.txt`, "--max-map-count", ESC]);
    expect(u.code).toBe(2);
    expect(u.err).not.toMatch(RAW_CONTROL);
  });

  it("printable(): C0, DEL, C1, lone surrogates and bidi overrides shown as escapes; pairs and text kept", () => {
    expect(printable("a\tb\nc\x00\x7f\x85\u202e😀\ud800x\udc00")).toBe(String.raw`a\tb\nc\x00\x7f\x85\u202e😀\ud800x\udc00`);
    expect(printableText("line 1\nline\x1b 2\n")).toBe("line 1\nline\\x1b 2\n");
  });
});

describe("analyser input limits and exactness", () => {
  it("standard input past the 256 MB cap: refused at the cap, the rest never read", async () => {
    const child = spawn(process.execPath, [BIN, "analyze", "-"], { stdio: ["pipe", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const chunk = Buffer.alloc(1 << 20, 0x61);
    const offered = 400;
    let written = 0;
    const done = new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    child.stdin.on("error", () => {}); // EPIPE once the analyser stops reading
    let closed = false;
    child.on("close", () => (closed = true));
    for (let i = 0; i < offered && !closed && !child.stdin.destroyed; i++) {
      if (!child.stdin.write(chunk)) {
        await new Promise<void>((r) => {
          const go = () => { child.stdin.off("drain", go); child.stdin.off("close", go); r(); };
          child.stdin.on("drain", go).on("close", go);
        });
      }
      written++;
    }
    child.stdin.end();
    expect(await done).toBe(2);
    expect(err).toContain(`standard input is more than ${MAX_CHARS / 1024 / 1024} MB`);
    expect(written).toBeLessThan(MAX_CHARS / (1 << 20) + 16); // the cap, plus what the pipe buffers
  }, 120_000);

  it("fffffffffffff000-ffffffffffffffff is echoed as given, not rounded through a double", () => {
    writeFileSync(`${TMP}top.txt`, VMA("7f0000000000-7f0000001000") + VMA("fffffffffffff000-ffffffffffffffff"));
    const r = cli(["analyze", `${TMP}top.txt`]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("fffffffffffff000-ffffffffffffffff");
    expect(r.out).not.toContain("10000000000000000");
    const j = JSON.parse(cli(["analyze", `${TMP}top.txt`, "--json"]).out);
    expect(j.gate[0]).toMatchObject({ start: "fffffffffffff000", end: "ffffffffffffffff" });
  });

  it("warns about unaligned addresses, unknown VmFlags and sizes that are not numbers", () => {
    const text = VMA("7f0000000100-7f0000001000") + VMA("7f0000002000-7f0000003000", "", "rd wr mr mw me zz") +
      "7f0000004000-7f0000005000 rw-p 00000000 00:00 0 \nRss:                lots kB\nVmFlags: rd wr mr mw me ac\n";
    const a = analyzeSmaps(text, { kernel: "6.18" });
    expect(a.warnings.map((w) => w.line)).toEqual([1, 8, 4]);
    expect(a.warnings[0]!.text).toContain("7f0000000100-7f0000001000 is not page-aligned");
    expect(a.warnings[1]!.text).toContain('"Rss:                lots kB" is not a size in kB');
    expect(a.warnings[2]!.text).toContain('VmFlags "zz" is a mnemonic the 6.18 profile does not know');
    writeFileSync(`${TMP}warn.txt`, text);
    const r = cli(["analyze", `${TMP}warn.txt`, "--kernel", "6.18"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Warnings: 3 parts of the input are not as the kernel prints them:\n {2}line 1: /m);
  });

  it("vm.max_map_count: 0..INT_MAX, as the sysctl takes it; the CLI refuses -5", () => {
    expect(parseMaxMapCount("65530")).toEqual({ value: 65530 });
    expect(parseMaxMapCount("0")).toEqual({ value: 0 });
    for (const bad of ["-5", "2147483648", "1e3", "", "12 kB"]) expect(parseMaxMapCount(bad), bad).toHaveProperty("error");
    writeFileSync(`${TMP}one.txt`, VMA("7f0000000000-7f0000001000"));
    expect(cli(["analyze", `${TMP}one.txt`, "--max-map-count=-5"])).toMatchObject({ code: 2, err: expect.stringContaining("vm.max_map_count must be a whole number from 0") });
  });
});
