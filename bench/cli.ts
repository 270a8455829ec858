// CLI start-up benchmark (called by bench/index.ts): `mergeable versions` and `--help` answer
// from plain JavaScript without loading tsx or typescript (goal ≤ 200 ms); measured side by side
// with a command that loads the CLI (its bundle, src/cli/bundle.mjs), to show what the lazy path saves.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const GOAL_MS = 200;
const RUNS = 10;
const bin = fileURLToPath(new URL('../bin/mergeable.mjs', import.meta.url));

/** Median wall time of `node bin/mergeable.mjs ...args`, process start included. */
function median(args: string[]): number {
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    t.push(performance.now() - t0);
    if (r.error) throw r.error;
  }
  t.sort((a, b) => a - b);
  return (t[(RUNS - 1) >> 1]! + t[RUNS >> 1]!) / 2;
}

export async function benchCli(): Promise<void> {
  console.log('## CLI start-up');
  const node = (() => {
    const t: number[] = [];
    for (let i = 0; i < RUNS; i++) { const t0 = performance.now(); spawnSync(process.execPath, ['-e', '0']); t.push(performance.now() - t0); }
    return t.sort((a, b) => a - b)[RUNS >> 1]!;
  })();
  const versions = median(['versions']);
  const help = median(['run', '--help']);
  median(['analyze']); // builds the CLI bundle if a source changed
  const tsx = median(['analyze']); // a usage error, after the CLI bundle is loaded
  const r = (x: number) => (x / GOAL_MS).toFixed(2);
  console.log(`node -e 0: ${node.toFixed(0)} ms (median of ${RUNS}; the floor)`);
  console.log(`mergeable versions: ${versions.toFixed(0)} ms, ${r(versions)} × the ${GOAL_MS} ms goal`);
  console.log(`mergeable run --help: ${help.toFixed(0)} ms, ${r(help)} × the goal`);
  console.log(`mergeable analyze (usage error, through the CLI bundle): ${tsx.toFixed(0)} ms, ${r(tsx)} × the goal; versions is ${(tsx / versions).toFixed(1)}× faster`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCli();
