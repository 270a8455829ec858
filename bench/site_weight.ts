// Site weight and speed (called by bench/site.ts), each figure beside its goal from issue 18:
// build wall and CPU time, HTML per page, JavaScript per page before interaction, and the editor:
// JavaScript fetched from the click on Edit until it is typeable, and click-to-typeable time, cold
// (fresh browser profile) and after a hover prefetch.
import { gzipSync } from 'node:zlib';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, DIST } from '../tests/browser/build-site';
import { serveDir } from '../tests/browser/static-server';
import { launch } from '../tests/browser/chromium';
import { builtPages } from '../tests/browser/pages';

const KB = 1024;
const GOAL = { buildS: 60, htmlKB: 250, editorKB: 1024, typeableMs: 1500 };
const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;
const vs = (measured: number, goal: number, unit: (n: number) => string) =>
  `${unit(measured)} (goal ≤ ${unit(goal)}, ${(measured / goal).toFixed(2)}× goal)${measured <= goal ? '' : ' OVER'}`;

/** CPU seconds (user + sys) of this process's waited-for children, from /proc/self/stat (Linux). */
function childCpuS(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;   // cutime, cstime (fields 16, 17), in USER_HZ (100/s)
}

/** What the static server sent while `fn` ran: gzip bytes of JavaScript (page scripts and workers), and of everything. */
type Fetched = { js: number; all: number; files: string[] };
let served: string[] = [];
async function fetchedDuring(fn: () => Promise<void>): Promise<Fetched> {
  served = [];
  await fn();
  const out: Fetched = { js: 0, all: 0, files: [] };
  for (const path of served) {
    let file = join(DIST, decodeURIComponent(path.split('?')[0]));
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) continue;
    const gz = gzipSync(readFileSync(file)).length;
    out.all += gz;
    if (/\.m?js$/.test(file)) { out.js += gz; out.files.push(`${file.split('/').pop()} ${kb(gz)}`); }
  }
  return out;
}

async function serve(): Promise<{ server: import('node:http').Server; url: string }> {
  const s = await serveDir(DIST);
  s.server.on('request', (req: import('node:http').IncomingMessage) => { served.push(req.url ?? ''); });
  return s;
}

const EDIT = '#pg-regression-anon-merge [data-act="edit"]';
const STATUS = '#pg-regression-anon-merge [data-role="status"]';
const RESET = '#pg-regression-anon-merge [data-act="reset"]';

async function editorFigures(url: string, mode: 'cold' | 'hover prefetch'): Promise<void> {
  const b = await launch();
  try {
    const page = await b.ctx.newPage();
    await page.goto(`${url}/regression/`, { waitUntil: 'networkidle' });
    let ms = 0;
    const prefetched = await fetchedDuring(async () => {
      if (mode === 'hover prefetch') {
        await page.hover(EDIT);
        await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /monaco-entry/.test(e.name) && (e as PerformanceResourceTiming).responseEnd > 0), null, { timeout: 60_000 });
        await page.waitForLoadState('networkidle');
      }
    });
    const t0 = Date.now();
    const ready = await fetchedDuring(async () => {
      await page.click(EDIT);
      await page.waitForFunction((s) => /Editor ready/.test(document.querySelector(s)?.textContent ?? ''), STATUS, { timeout: 60_000 });
    });
    const later = await fetchedDuring(async () => {
      await page.keyboard.type('x');   // typeable: the keystroke reaches the code (Reset appears for edited code)
      await page.waitForSelector(RESET, { state: 'visible', timeout: 10_000 });
      ms = Date.now() - t0;
      await page.waitForTimeout(4000);
    });
    const js = prefetched.js + ready.js;
    console.log(`editor, ${mode}: click to typeable ${vs(ms, GOAL.typeableMs, (n) => `${n} ms`)}`);
    console.log(`  JavaScript before typing (${mode === 'cold' ? '' : 'prefetch + '}click to "Editor ready"): ${vs(js, GOAL.editorKB * KB, kb)}; ` +
      `all files ${kb(prefetched.all + ready.all)} gzip`);
    console.log(`    ${[...prefetched.files, ...ready.files].join(', ')}`);
    console.log(`  then, in the 4 s after the first keystroke (word completion's editor worker; the TypeScript worker, for type errors, after the pause): ${kb(later.js)}${later.files.length ? ` (${later.files.join(', ')})` : ''}`);
  } finally {
    await b.close();
  }
}

export async function benchSiteWeight(): Promise<void> {
  console.log('## site weight and speed');
  const cpu0 = childCpuS();
  const buildMs = buildSite(true)!;
  const cpu = childCpuS() - cpu0;
  console.log(`build (astro build + pagefind): ${vs(buildMs / 1000, GOAL.buildS, (n) => `${n.toFixed(1)} s`)}, ` +
    `CPU ${cpu.toFixed(1)} s (user + sys; on a busy machine the wall time grows, the CPU time does not)`);
  const pages = builtPages();
  for (const path of pages) {
    const size = statSync(join(DIST, path, path.endsWith('.html') ? '' : 'index.html')).size;
    console.log(`HTML ${path}: ${vs(size, GOAL.htmlKB * KB, kb)}`);
  }
  const { server, url } = await serve();
  const b = await launch();
  try {
    for (const path of pages) {
      const page = await b.ctx.newPage();
      const { js } = await fetchedDuring(async () => { await page.goto(url + path, { waitUntil: 'networkidle' }); });
      const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? '').join(''));
      console.log(`JS before interaction ${path}: ${kb(js + gzipSync(inline).length)} gzip`);
      await page.close();
    }
    await editorFigures(url, 'cold');
    await editorFigures(url, 'hover prefetch');
  } finally {
    await b.close();
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSiteWeight();
