// The kernel suite must be able to fail. A copy of the engine with one deliberately broken merge
// rule (can_vma_merge_after()'s pgoff linearity check removed) is run through the same harness:
// a scenario and the fuzzer must both report the divergence, with the message a kernel developer
// needs (first differing call, both pictures, both VmFlags, both errnos, the C reproducer).
import { afterAll, beforeAll, expect, it } from "vitest";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Mergeable from "mergeable";
import { describeKernel, runningConfig } from "./capability.ts";
import { checkTrace, runningVersion } from "./harness.ts";
import { REPO, TMP, Replayer } from "./replayer.ts";
import { generate, type FuzzSequence } from "./fuzz/gen.ts";
import { shrink } from "./fuzz/shrink.ts";
import { runOnEngine } from "./fuzz/engine-run.ts";

/** The one-line break: file, the exact line text, its replacement. */
const MUTATION = {
  file: "merge.ts",
  from: "if (p.pgoff + p.pages !== vmg.pgoff) return vmg.explain",
  to: "if (false) return vmg.explain",
};

describeKernel("mutation: a one-line break in the engine's merge rules is caught", () => {
  let r: Replayer;
  let mutant: typeof Mergeable;
  const dir = join(TMP, `mutant-${process.pid}`);
  const version = runningVersion();
  const config = runningConfig();

  beforeAll(async () => {
    r = Replayer.start();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(join(REPO, "src", "engine"), join(dir, "engine"), { recursive: true });
    const file = join(dir, "engine", MUTATION.file);
    const src = readFileSync(file, "utf8");
    if (src.split(MUTATION.from).length !== 2) throw new Error(`the mutation no longer applies: "${MUTATION.from}" must occur once in src/engine/${MUTATION.file}; update tests/kernel/mutation.test.ts`);
    writeFileSync(file, src.replace(MUTATION.from, MUTATION.to));
    mutant = (await import(/* @vite-ignore */ join(dir, "engine", "index.ts"))) as typeof Mergeable;
  });
  afterAll(async () => {
    await r.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a scenario: two private mappings of one file with non-contiguous offsets", async () => {
    const { PAGE_SIZE: P, PROT_NONE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED, O_RDWR, O_CREAT } = mutant;
    const kernel = mutant.boot({ version, config });
    const p = kernel.spawn();
    const c = p.mmap(0x7e0000000000, 8 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    const fd = p.open("/mutation/data", O_RDWR | O_CREAT);
    p.ftruncate(fd, 16 * P);
    p.mmap(c + P, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
    p.mmap(c + 2 * P, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 5 * P); // file page 5 after page 0
    const res = await checkTrace(r, "mutation: pgoff linearity", version, kernel.trace, { tag: "mut" });
    expect(res.status).toBe("diverged");
    const m = res.message;
    expect(m).toContain("First step that differs: #5");
    expect(m).toContain("the VMAs after this call differ");
    expect(m).toMatch(/engine +ABBCCCCC/);                // the engine merged the two file pages
    expect(m).toMatch(/kernel +ABCDDDDD/);                // the kernel did not
    expect(m).toContain("rd wr mr mw me");                // VmFlags of both sides
    expect(m).toContain("errno:  engine -   kernel -");
    expect(m).toContain("C reproducer");
    expect(m).toContain("int main");
  });

  it("the fuzzer: finds it within 300 sequences and shrinks it", async () => {
    const diverges = async (seq: FuzzSequence) => {
      const run = runOnEngine(seq, version, config, mutant);
      return (await checkTrace(r, `mutant fuzz ${seq.seed}`, version, run.trace, { finalVmas: run.finalVmas, tag: "mut" })).status === "diverged";
    };
    let found: FuzzSequence | null = null;
    for (let seed = 1; seed <= 300 && !found; seed++) if (await diverges(generate(seed))) found = generate(seed);
    expect(found, "no fuzz sequence exposed the broken merge rule").not.toBeNull();
    const small = await shrink(found!, diverges);
    expect(small.seq.ops.length).toBeLessThanOrEqual(3);
    expect(small.seq.ops.length).toBeLessThan(found!.ops.length);
  });
});
