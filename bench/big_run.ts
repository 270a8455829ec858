/**
 * Big work in `mergeable run` (issue 19): 1, 2,000 and 65,531 mmaps (the last reaches
 * vm.max_map_count's 65,530 and is refused), tracing on as the CLI runs it. Each scenario runs in
 * its own `node bin/mergeable.mjs run` under /usr/bin/time: wall and CPU time and peak RSS of the
 * whole command, printed with their ratio to the goal (≤ 1 is met).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const tmp = join(here, "..", "tests", ".tmp", "bench");
const bin = join(here, "..", "bin", "mergeable.mjs");

/** Non-merging mappings: alternating PROT_READ / PROT_WRITE, a one-page gap between each. */
function scenario(n: number): string {
  return `import { boot, KernelError, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED } from "mergeable";
const p = boot().spawn();
for (let i = 0; i < ${n}; i++) {
  try {
    p.mmap(0x100000000 + i * 2 * 4096, 4096, i % 2 ? PROT_READ : PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
  }
}
console.log(p.map_count);
`;
}

interface Goal { mmaps: number; seconds: number; mb: number | null }
const GOALS: Goal[] = [
  { mmaps: 1, seconds: 0.5, mb: null },
  { mmaps: 2000, seconds: 2, mb: 300 },
  { mmaps: 65531, seconds: 2, mb: 300 },
];

export async function benchBigRun(): Promise<void> {
  console.log("## mergeable run: big work, tracing on (issue 19)");
  if (!existsSync("/usr/bin/time")) {
    console.log("skipped: needs /usr/bin/time for the peak RSS");
    return;
  }
  mkdirSync(tmp, { recursive: true });
  // The first run after a source change builds the CLI bundle (src/cli/bundle.mjs): not measured.
  writeFileSync(join(tmp, "mmap-warm.ts"), scenario(1));
  spawnSync(process.execPath, [bin, "run", join(tmp, "mmap-warm.ts")], { encoding: "utf8" });
  for (const g of GOALS) {
    const file = join(tmp, `mmap-${g.mmaps}.ts`);
    writeFileSync(file, scenario(g.mmaps));
    const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", process.execPath, bin, "run", file, "--format", "maps"], { encoding: "utf8", maxBuffer: 1 << 30 });
    const last = r.stderr.trim().split("\n").pop() ?? "";
    const [secs, user, sys, kb] = last.split(" ").map(Number);
    if (r.status !== 0 || [secs, user, sys, kb].some((x) => x === undefined || !Number.isFinite(x))) {
      console.log(`${g.mmaps} mmaps: failed (rc ${r.status}): ${r.stderr.slice(-400)}`);
      process.exitCode = 1;
      continue;
    }
    const mb = kb! / 1024;
    const cpu = user! + sys!;
    const mem = g.mb === null ? `peak RSS ${mb.toFixed(0)} MB` : `peak RSS ${mb.toFixed(0)} MB = ${(mb / g.mb).toFixed(2)} × goal ${g.mb} MB`;
    // CPU time too: on a shared machine the wall time includes waiting for a core.
    console.log(`${g.mmaps} mmaps: ${secs!.toFixed(2)} s wall = ${(secs! / g.seconds).toFixed(2)} × goal ${g.seconds} s ` +
      `(CPU ${cpu.toFixed(2)} s = ${(cpu / g.seconds).toFixed(2)} ×); ${mem}`);
  }
}
