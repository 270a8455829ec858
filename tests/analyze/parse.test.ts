/**
 * The smaps parser on real smaps of this machine's processes (read at run time) and on
 * malformed input: each bad input gets its own code and says what to run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSmaps, SmapsInputError, type InputErrorCode } from "../../src/analyze/index.ts";
import { describeKernel, fragment } from "./helper.ts";
import { generateSmaps } from "./generate.ts";

const linux = process.platform === "linux";

function code(text: string, opts = {}): InputErrorCode | "ok" {
  try {
    parseSmaps(text, opts);
    return "ok";
  } catch (e) {
    expect(e).toBeInstanceOf(SmapsInputError);
    const err = e as SmapsInputError;
    expect(err.message).toMatch(/Expected: the text of \/proc\/PID\/smaps/);
    expect(err.hint).toMatch(/cat \/proc\/PID\/|grep|smaps/);
    return err.code;
  }
}

describeKernel("parser on real smaps", () => {
  it("a stopped process: every VMA of its maps, with the same fields, and VmFlags for each", async () => {
    const f = await fragment("madvise");
    try {
      const p = parseSmaps(f.smaps);
      const lines = f.maps.trim().split("\n");
      expect(p.vmas.length + p.gate.length).toBe(lines.length);
      p.vmas.concat(p.gate).forEach((v, i) => {
        const [range, perms, off, dev, ino, ...name] = lines[i]!.split(/ +/);
        expect(`${v.start.toString(16).padStart(8, "0")}-${v.end.toString(16).padStart(8, "0")}`).toBe(range);
        expect([v.perms, v.offset, v.dev, v.inode, v.name]).toEqual([perms, parseInt(off!, 16), dev, Number(ino), name.join(" ")]);
        expect(v.vmflags).toMatch(/^(?:[a-z?]{2} ?)+$/);
        expect(v.rss).toBeGreaterThanOrEqual(0);
      });
      expect(p.gate.map((g) => g.name)).toEqual(["[vsyscall]"]);
      expect(p.reduced).toBe(false);
      expect(p.softDirty).toBe(/ sd /.test(f.smaps));
    } finally {
      await f.stop();
    }
  });

  it("every readable process on this machine parses, one VmFlags per VMA", () => {
    let n = 0;
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/smaps`, "utf8");
      } catch {
        continue; // exited meanwhile
      }
      if (!text) continue; // kernel threads have no mm
      const p = parseSmaps(text);
      expect(p.vmas.length + p.gate.length, `pid ${pid}`).toBe((text.match(/^VmFlags:/gm) ?? []).length);
      n++;
    }
    expect(n).toBeGreaterThan(1);
  });
});

describe.runIf(linux)("parser on this process's live files", () => {
  const smaps = linux ? readFileSync("/proc/self/smaps", "utf8") : "";
  it("the reduced form (headers and VmFlags only) is accepted", () => {
    const reduced = smaps.split("\n").filter((l) => /^[0-9a-f]+-|^VmFlags/.test(l)).join("\n");
    const p = parseSmaps(reduced);
    expect(p.reduced).toBe(true);
    expect(p.vmas.every((v) => v.rss === -1 && v.vmflags.length > 0)).toBe(true);
  });
  it("maps, status, smaps_rollup and numa_maps are named", () => {
    expect(code(readFileSync("/proc/self/maps", "utf8"))).toBe("maps");
    expect(code(readFileSync("/proc/self/status", "utf8"))).toBe("status");
    expect(code(readFileSync("/proc/self/smaps_rollup", "utf8"))).toBe("rollup");
    expect(code(readFileSync("/proc/self/numa_maps", "utf8"))).toBe("numa-maps");
  });
  it("a paste cut at the end, mid-line or mid-VMA, or at the start", () => {
    const cutVma = smaps.slice(0, smaps.indexOf("\nVmFlags:", 2000));
    expect(code(cutVma + "\n")).toBe("truncated-end");
    // Cut inside a size line, inside a header line (a cut between two VmFlags mnemonics cannot be seen).
    for (const at of [3000, 5000, 7000]) expect(code(smaps.slice(0, smaps.indexOf("\nRss:", at) + 9)), `cut near ${at}`).toBe("truncated-end");
    expect(code(smaps.slice(0, smaps.indexOf("\n7f") + 10))).toBe("truncated-end");
    const flags = smaps.indexOf("\nVmFlags:", 4000);
    expect(code(smaps.slice(0, flags + 14))).toBe("truncated-end"); // "VmFlags: rd m"
    expect(code(smaps.slice(smaps.indexOf("\n") + 1))).toBe("truncated-start");
    expect(code(smaps.slice(smaps.indexOf("\n") + 5))).toBe("truncated-start");
  });
  it("a VMA without its VmFlags line in the middle", () => {
    const i = smaps.indexOf("\nVmFlags:");
    const j = smaps.indexOf("\n", i + 1);
    expect(code(smaps.slice(0, i) + smaps.slice(j))).toBe("missing-vmflags");
  });
  it("two processes pasted together are out of address order", () => {
    expect(code(smaps + smaps)).toBe("unsorted");
  });
  it("Windows line endings are accepted", () => {
    expect(parseSmaps(smaps.replace(/\n/g, "\r\n")).vmas.length).toBe(parseSmaps(smaps).vmas.length);
  });
});

describe("parser on malformed and foreign input", () => {
  it("empty, binary, garbage", () => {
    expect(code("")).toBe("empty");
    expect(code("  \n\n")).toBe("empty");
    expect(code("\x7fELF\0\0\0")).toBe("binary");
    expect(code("hello world\n")).toBe("not-smaps");
  });
  it("other operating systems' memory maps", () => {
    expect(code("  PID              START                END PRT  RES PRES REF SHD FLAG  TP PATH\n 1234         0x200000         0x201000 r--    1    3   2   1 CN--- vn /bin/cat\n")).toBe("other-os");
    expect(code("Process:         Safari [1234]\nPath:            /Applications/Safari.app\n==== Non-writable regions for process 1234\n__TEXT   100000000-100004000 [16K] r-x/r-x SM=COW\n")).toBe("other-os");
    expect(code("1234:   /usr/bin/bash\n08046000       8K rw---    [ stack ]\n")).toBe("other-os");
    expect(code("0x7f0000000000-0x7f0000001000 rw-p\n")).toBe("not-smaps");
  });
  it("smaps of a kernel before 3.8: no VmFlags lines", () => {
    expect(code("00400000-00401000 r-xp 00000000 08:01 12 /bin/x\nSize:                  4 kB\nRss:                   4 kB\n")).toBe("no-vmflags");
  });
  it("a huge input is refused before parsing, with the grep that shrinks it", () => {
    const { text } = generateSmaps(200);
    expect(code(text, { maxChars: 10_000 })).toBe("too-large");
    try {
      parseSmaps(text, { maxChars: 10_000 });
    } catch (e) {
      expect((e as SmapsInputError).hint).toContain("grep -E");
    }
  });
  it("a VMA that ends before it starts", () => {
    expect(code("7f0000002000-7f0000001000 rw-p 00000000 00:00 0 \nVmFlags: rd wr \n")).toBe("bad-line");
  });
  it("a 60,000-VMA smaps parses completely (1.5 million lines)", () => {
    const { text } = generateSmaps(60_000);
    let reports = 0;
    const p = parseSmaps(text, {}, () => reports++);
    expect(p.vmas.length).toBe(60_000);
    expect(p.lines).toBe(1_500_000);
    expect(reports).toBeGreaterThan(10);
  });
});
