// Analyser benchmark (called by bench/index.ts): a generated 60,000-VMA smaps (1.5 million lines),
// parsed and analysed in-process (what the page's Worker runs), and through the CLI
// (`node bin/mergeable.mjs analyze FILE`, process start included). Goals: page < 2 s, CLI < 1 s.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSmaps } from '../tests/analyze/generate';
import { analyzeSmaps, parseSmaps } from '../src/analyze/index';

const ms = (t: number) => `${t.toFixed(0)} ms`;
const best = (n: number, f: () => void) => {
  let b = Infinity;
  for (let i = 0; i < n; i++) { const t0 = performance.now(); f(); b = Math.min(b, performance.now() - t0); }
  return b;
};

export async function benchAnalyze(): Promise<void> {
  console.log('## analyze');
  const { text } = generateSmaps(60_000);
  console.log(`input: 60,000 VMAs, ${text.split('\n').length - 1} lines, ${(text.length / 1024 / 1024).toFixed(1)} MB`);
  console.log(`parseSmaps: ${ms(best(3, () => parseSmaps(text)))} (best of 3)`);
  console.log(`analyzeSmaps (parse + analyse, the Worker's work): ${ms(best(3, () => analyzeSmaps(text, { kernel: '6.16' })))} (best of 3)`);
  const dir = fileURLToPath(new URL('../tests/.tmp/bench/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}smaps-60k.txt`, text);
  const bin = fileURLToPath(new URL('../bin/mergeable.mjs', import.meta.url));
  const cli = best(3, () => {
    const r = spawnSync(process.execPath, [bin, 'analyze', `${dir}smaps-60k.txt`, '--kernel', '6.16'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mergeable analyze failed: ${r.stderr}`);
  });
  console.log(`CLI: npx mergeable analyze <60,000-VMA file> --kernel 6.16: ${ms(cli)} wall, process start included (best of 3)`);
  const empty = best(3, () => { spawnSync(process.execPath, [bin, 'versions']); });
  console.log(`CLI start-up alone (mergeable versions): ${ms(empty)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAnalyze();
