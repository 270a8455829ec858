/**
 * BootOptions.traceDetail: the first N steps are recorded in full, later ones brief (the call, its
 * result and map_count; no events, no VMA changes). A brief step reads exactly as the full one.
 */
import { describe, expect, it } from "vitest";
import { boot, KernelError, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PAGE_SIZE as P, PROT_READ, PROT_WRITE, type Kernel } from "mergeable";

const BASE = 0x100000000;

/** Four mmaps, one refused (length 0: EINVAL), and an mprotect. */
function scenario(k: Kernel): void {
  const p = k.spawn();
  for (let i = 0; i < 4; i++) p.mmap(BASE + i * 2 * P, P, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
  try {
    p.mmap(BASE, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
  }
  p.mprotect(BASE, P, PROT_READ);
}

describe("traceDetail", () => {
  const full = boot({ version: "6.18" });
  scenario(full);
  const brief = boot({ version: "6.18", traceDetail: 3 });
  scenario(brief);

  it("keeps every step; the first three in full, the rest brief with no events and no VMA changes", () => {
    expect(brief.trace.length).toBe(full.trace.length);
    expect(brief.trace.slice(0, 3)).toEqual(full.trace.slice(0, 3));
    for (const s of brief.trace.slice(3)) {
      expect(s.brief).toBe(true);
      expect(s.events).toEqual([]);
      expect(s.vmaDelta).toBeNull();
    }
    expect(full.trace.slice(3).some((s) => s.events.length > 0)).toBe(true);
  });

  it("a brief step has the same call, text, result, errno and map_count as the full one", () => {
    const call = (s: (typeof full.trace)[number]) => [s.seq, s.pid, s.syscall, s.args, s.text, s.ret, s.errno, s.mapCount];
    expect(brief.trace.map(call)).toEqual(full.trace.map(call));
    expect(brief.trace.some((s) => s.brief && s.errno?.name === "EINVAL")).toBe(true);
  });

  it("JSON of a brief step carries its text", () => {
    const s = brief.trace[brief.trace.length - 1]!;
    expect(JSON.parse(JSON.stringify(s)).text).toBe(full.trace[full.trace.length - 1]!.text);
  });

  it("the kernel's work is the same: the final VMAs do not depend on the trace", () => {
    expect(brief.processes[0]!.vmas()).toEqual(full.processes[0]!.vmas());
  });
});

describe("brief steps share equal argument lists (Tracer.sharedArgs())", () => {
  const k = boot({ version: "6.18", traceDetail: 1 });
  const p = k.spawn();
  for (let i = 0; i < 6; i++) p.mmap(0, P, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  p.mmap(0, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
  const mmaps = k.trace.filter((s) => s.syscall === "mmap");

  it("two distinct lists for six alternating calls, each kept once; a different call keeps its own", () => {
    expect(mmaps.every((s) => s.brief)).toBe(true);
    expect(new Set(mmaps.slice(0, 6).map((s) => s.args)).size).toBe(2);
    expect(mmaps[0]!.args).toBe(mmaps[2]!.args);
    expect(mmaps[1]!.args).toBe(mmaps[3]!.args);
    expect(mmaps[6]!.args).not.toBe(mmaps[1]!.args);
  });

  it("and each step still reads as its own call", () => {
    expect(mmaps.map((s) => s.args[2])).toEqual([3, 1, 3, 1, 3, 1, 1]);
    expect(mmaps[6]!.args).toEqual([0, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0]);
    expect(mmaps[6]!.text).toMatch(/^mmap\(NULL, 8192, PROT_READ, MAP_PRIVATE\|MAP_ANONYMOUS, -1, 0\) = 0x/);
  });
});
