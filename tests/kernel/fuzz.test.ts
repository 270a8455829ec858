// Differential fuzzing: seeded random call sequences over a 12-page window, on the engine
// (profile of the running kernel) and on the real kernel. Any difference fails with the seed and
// the sequence shrunk to a minimal reproducer.
//   MERGEABLE_FUZZ_SEED=<n>       base seed (default: random, printed)
//   MERGEABLE_FUZZ_SEQUENCES=<n>  number of sequences (default 10000)
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeKernel, runningConfig } from "./capability.ts";
import { checkTrace, runningVersion, type Checked } from "./harness.ts";
import { Replayer } from "./replayer.ts";
import { describeOp, generate, type FuzzSequence } from "./fuzz/gen.ts";
import { runOnEngine } from "./fuzz/engine-run.ts";
import { shrink } from "./fuzz/shrink.ts";

const SEQUENCES = Number(process.env.MERGEABLE_FUZZ_SEQUENCES ?? 10_000);
const BASE_SEED = process.env.MERGEABLE_FUZZ_SEED !== undefined ? Number(process.env.MERGEABLE_FUZZ_SEED) : (Math.random() * 2 ** 31) >>> 0;
const BATCH = 64;

describeKernel("differential fuzzing: engine vs real kernel", () => {
  let r: Replayer;
  beforeAll(() => {
    r = Replayer.start();
  });
  afterAll(() => r.close());
  const version = runningVersion();
  const config = runningConfig();

  /** Engine + kernel for one sequence; an engine exception counts as a divergence. */
  async function check(seq: FuzzSequence, dumpEachStep = true): Promise<Checked> {
    let run;
    try {
      run = runOnEngine(seq, version, config);
    } catch (e) {
      const msg = `the engine threw ${(e as Error).stack ?? e} (only KernelError may be thrown)`;
      return { status: "diverged", reason: msg, divergence: null, calls: 0, final: [], message: msg, signature: "engine-exception" };
    }
    return checkTrace(r, `fuzz seed ${seq.seed}`, version, run.trace, { finalVmas: run.finalVmas, dumpEachStep, tag: "fuzz" });
  }

  it(`${SEQUENCES} random sequences agree (base seed ${BASE_SEED})`, async () => {
    const stats = { sequences: 0, calls: 0, skipped: 0, diverged: 0, ops: 0 };
    const skips = new Map<string, number>();
    const failures: { seq: FuzzSequence; res: Checked }[] = [];
    const t0 = Date.now();
    for (let i = 0; i < SEQUENCES; i += BATCH) {
      const seqs = Array.from({ length: Math.min(BATCH, SEQUENCES - i) }, (_, j) => generate(BASE_SEED + i + j));
      const results = await Promise.all(seqs.map((s) => check(s)));
      results.forEach((res, j) => {
        stats.sequences++;
        stats.calls += res.calls;
        stats.ops += seqs[j]!.ops.length;
        if (res.status === "skipped") {
          stats.skipped++;
          const key = res.reason.replace(/0x[0-9a-f]+|\d+/g, "N").slice(0, 120);
          skips.set(key, (skips.get(key) ?? 0) + 1);
        } else if (res.status === "diverged") {
          stats.diverged++;
          if (failures.length < 3 && !failures.some((f) => f.res.signature === res.signature)) failures.push({ seq: seqs[j]!, res });
        }
      });
    }
    const secs = (Date.now() - t0) / 1000;
    console.log(`fuzz: ${stats.sequences} sequences, ${stats.ops} engine calls, ${stats.calls} replayer requests, ` +
      `${stats.diverged} divergent, ${stats.skipped} not replayable, ${secs.toFixed(1)} s (base seed ${BASE_SEED})`);
    for (const [why, count] of skips) console.log(`  not replayable ×${count}: ${why}`);

    const messages: string[] = [];
    for (const f of failures) {
      const small = await shrink(f.seq, async (s) => (await check(s)).signature === f.res.signature);
      const again = await check(small.seq);
      messages.push(
        `Seed ${f.seq.seed} (MERGEABLE_FUZZ_SEED=${f.seq.seed} MERGEABLE_FUZZ_SEQUENCES=1 reruns it); ` +
        `shrunk from ${f.seq.ops.length} to ${small.seq.ops.length} calls in ${small.tries} tries:\n` +
        small.seq.ops.map((o) => "  " + describeOp(o)).join("\n") + "\n\n" + (again.message || again.reason),
      );
    }
    if (messages.length) expect.fail(`${stats.diverged} of ${stats.sequences} sequences diverged; ${messages.length} distinct:\n\n${messages.join("\n\n" + "=".repeat(80) + "\n\n")}`);
    // The fuzzer must actually reach the kernel: most sequences are replayable.
    expect(stats.skipped, [...skips].map(([w, c]) => `${c}× ${w}`).join("\n")).toBeLessThan(stats.sequences * 0.05);
  }, 240_000);
});
