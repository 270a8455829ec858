// The replayer on its own, with hand-written requests: it must report what this kernel does.
// The first case is tools/testing/selftests/mm/merge.c `ksm_merge` (kernel-vma.md §13.2): on
// 6.17+ (cf7e7a3503df) a new mapping next to a compatible one merges under MERGE_ANY.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeKernel, kernelCapability } from "./capability.ts";
import { Replayer, n, type KernelVma } from "./replayer.ts";

const P = 4096;
const RW = 3, NONE = 0;
const PRIVATE_ANON = 0x02 | 0x20, FIXED = 0x10, FIXED_NOREPLACE = 0x100000;

const rel = (vmas: KernelVma[], base: number) => vmas.map((v) => `${(v.start - base) / P}-${(v.end - base) / P} ${v.perms} ${v.vmflags}`);

describeKernel("replayer (hand-written requests, real kernel)", () => {
  let r: Replayer;
  beforeAll(() => {
    r = Replayer.start();
  });
  afterAll(() => r.close());

  /** Start a worker with a 12-page PROT_NONE carveout; returns its address. */
  async function carveout(): Promise<number> {
    const [begin, c] = await r.batch(["0 begin", `0 mmap 0 ${n(12 * P)} ${NONE} ${n(PRIVATE_ANON)} -1 0`]);
    expect(begin!.kind).toBe("ok");
    expect(c!.kind).toBe("ok");
    await r.one(`0 allow ${n(c!.value)} ${n(c!.value + 12 * P)}`);
    return c!.value;
  }
  const dump = async (c: number) => (await r.one(`0 dump ${n(c)} ${n(c + 12 * P)}`)).vmas;

  it("merge.c ksm_merge: under PR_SET_MEMORY_MERGE a new mapping merges with its neighbour (6.17+)", async () => {
    const minor = Number(/^6\.(\d+)/.exec(kernelCapability().release)?.[1] ?? 0);
    const c = await carveout();
    const map1 = (page: number) => `0 mmap ${n(c + page * P)} ${n(P)} ${RW} ${n(PRIVATE_ANON | FIXED)} -1 0`;
    const res = await r.batch([map1(1), map1(2)]);
    expect(res.map((x) => x.value)).toEqual([c + P, c + 2 * P]);
    expect(rel(await dump(c), c)).toEqual(["0-1 ---p mr mw me", "1-3 rw-p rd wr mr mw me ac", "3-12 ---p mr mw me"]);
    expect((await r.one(`0 munmap ${n(c + 2 * P)} ${n(P)}`)).kind).toBe("ok");
    const prctl = await r.one("0 prctl 67 1 0 0 0");
    expect(prctl).toMatchObject({ kind: "ok", value: 0 });
    expect((await r.one(map1(2))).value).toBe(c + 2 * P);
    const after = rel(await dump(c), c);
    // prctl also set VM_MERGEABLE on the existing eligible VMAs (ksm_enable_merge_any()).
    if (minor >= 17) expect(after).toEqual(["0-1 ---p mr mw me mg", "1-3 rw-p rd wr mr mw me ac mg", "3-12 ---p mr mw me mg"]);
    else expect(after).toEqual(["0-1 ---p mr mw me mg", "1-2 rw-p rd wr mr mw me ac mg", "2-3 rw-p rd wr mr mw me ac mg", "3-12 ---p mr mw me mg"]);
    expect((await r.one("0 prctl 68 0 0 0 0")).value).toBe(1);
    expect((await r.one("0 end")).kind).toBe("ok");
  });

  it("each sequence starts in a fresh worker: MERGE_ANY does not leak into the next one", async () => {
    await carveout();
    expect((await r.one("0 prctl 68 0 0 0 0")).value).toBe(0);
    await r.one("0 end");
  });

  it("errno of bad arguments, and MAP_FIXED_NOREPLACE overlap is EEXIST", async () => {
    const c = await carveout();
    const res = await r.batch([
      `0 mmap ${n(c + 1)} ${n(P)} ${RW} ${n(PRIVATE_ANON | FIXED)} -1 0`,
      `0 mmap 0 0 ${RW} ${n(PRIVATE_ANON)} -1 0`,
      `0 mmap ${n(c)} ${n(P)} ${RW} ${n(PRIVATE_ANON | FIXED_NOREPLACE)} -1 0`,
      `0 mprotect ${n(c)} 0 ${RW}`,
      `0 munmap ${n(c)} 0`,
    ]);
    expect(res.map((x) => `${x.kind} ${x.value}`)).toEqual(["err 22", "err 22", "err 17", "ok 0", "err 22"]);
    await r.one("0 end");
  });

  it("a write to an unmapped page is reported as EFAULT, not a crash", async () => {
    const c = await carveout();
    expect(await r.one(`0 poke ${n(c)} 1`)).toMatchObject({ kind: "err", value: 14 });
    expect(await r.one(`0 mprotect ${n(c)} ${n(P)} ${RW}`)).toMatchObject({ kind: "ok" });
    expect(await r.one(`0 poke ${n(c)} 7`)).toMatchObject({ kind: "ok", value: 7 });
    await r.one("0 end");
  });

  it("refuses to touch the replayer's own mappings", async () => {
    await carveout();
    const own = (await r.one("0 dump 0 0x7fffffffffff")).vmas[0]!;   // the replayer's program text
    expect((await r.one(`0 munmap ${n(own.start)} 0x1000`)).kind).toBe("unsafe");
    expect((await r.one(`0 mprotect ${n(own.start)} 0x1000 0`)).kind).toBe("unsafe");
    expect((await r.one("0 prctl 15 0 0 0 0")).kind).toBe("unsafe");
    await r.one("0 end");
  });

  it("fork: the child serves its own slot and sees the window; a child's VMAs are fork children", async () => {
    const c = await carveout();
    await r.batch([`0 mmap ${n(c + P)} ${n(5 * P)} ${RW} ${n(PRIVATE_ANON | FIXED)} -1 0`, `0 memset ${n(c + P)} 1 ${n(5 * P)}`]);
    const f = await r.one("0 fork 1");
    expect(f.kind).toBe("ok");
    // merge.c forked_target_vma: the child maps 5 pages right after the forked VMA → no merge.
    const res = await r.batch([`1 memset ${n(c + P)} 2 ${n(5 * P)}`, `1 mmap ${n(c + 6 * P)} ${n(5 * P)} ${RW} ${n(PRIVATE_ANON | FIXED)} -1 0`]);
    expect(res.map((x) => x.kind)).toEqual(["ok", "ok"]);
    const child = (await r.one(`1 dump ${n(c)} ${n(c + 12 * P)}`)).vmas;
    expect(rel(child, c)).toEqual(["0-1 ---p mr mw me", "1-6 rw-p rd wr mr mw me ac", "6-11 rw-p rd wr mr mw me ac", "11-12 ---p mr mw me"]);
    expect((await r.one("0 end")).kind).toBe("ok");
    expect((await r.one("1 count")).kind).toBe("dead");
  });

  it("fill: vm.max_map_count headroom without touching the sysctl", async () => {
    const c = await carveout();
    const fill = await r.one(`0 fill 3 0x600000000000`);
    expect(fill.kind).toBe("ok");
    const maps = (k: number) => `0 mmap ${n(c + k * 2 * P)} ${n(P)} ${RW} ${n(PRIVATE_ANON | FIXED)} -1 0`;
    // Each separate page adds a VMA (splitting the carveout: +2 each); do_mmap() refuses when map_count > max.
    const res = await r.batch([maps(1), maps(2), maps(3)]);
    expect(res.map((x) => x.kind)).toContain("err");
    expect(res.find((x) => x.kind === "err")!.value).toBe(12);
    await r.one("0 end");
  });
});
