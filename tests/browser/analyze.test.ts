// The smaps analyser page (/analyze/) in Chromium: a pasted 6.16 smaps gets its pairs and the
// regression named, bad input gets the analyser's message, the example loads, a 60,000-VMA file is
// analysed in the Worker under 2 s with progress shown and the page responsive, and axe passes.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { boot, PAGE_SIZE as P, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED_NOREPLACE, PR_SET_MEMORY_MERGE } from 'mergeable';
import { generateSmaps } from '../analyze/generate';
import { axeViolations } from './axe';
import { launch, type Launched } from './chromium';

const base = inject('baseUrl');
const URL_ = `${base}/analyze/`;
let b: Launched;
let tmp: string;
beforeAll(async () => { b = await launch(); tmp = mkdtempSync(join(tmpdir(), 'mergeable-analyze-')); });
afterAll(async () => { await b?.close(); rmSync(tmp, { recursive: true, force: true }); });

type P2 = Page & { errors: string[] };
async function open(theme?: string): Promise<P2> {
  const page = (await b.ctx.newPage()) as P2;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  if (theme) await page.addInitScript((t) => localStorage.setItem('mergeable-theme', t), theme);
  await page.goto(URL_);
  return page;
}
const analysed = (page: Page, timeout = 30_000) =>
  page.waitForFunction(() => /^Analysed/.test(document.querySelector('mg-analyze [data-role="status"]')?.textContent ?? ''), null, { timeout });

/** A 6.16 process under PR_SET_MEMORY_MERGE that maps `n` one-page mappings side by side. */
function mergeAnySmaps(n: number): { smaps: string; first: number } {
  const p = boot({ version: '6.16', trace: false }).spawn();
  p.prctl(PR_SET_MEMORY_MERGE, 1);
  const a = p.mmap(0, (n + 2) * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS) + P;
  p.munmap(a - P, (n + 2) * P);
  for (let i = 0; i < n; i++) p.mmap(a + i * P, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE);
  return { smaps: p.smaps(), first: a };
}

describe('before interaction', () => {
  it('loads at most 10 KB (gzip) of JavaScript and no Worker', async () => {
    const page = await b.ctx.newPage();
    const scripts: { url: string; gz: number }[] = [];
    page.on('response', async (r) => { if (r.request().resourceType() === 'script') scripts.push({ url: r.url(), gz: gzipSync(await r.body()).length }); });
    let workers = 0;
    page.on('worker', () => workers++);
    await page.goto(URL_, { waitUntil: 'networkidle' });
    const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? '').join('\n'));
    const total = scripts.reduce((n, s) => n + s.gz, 0) + gzipSync(inline).length;
    console.log(`analyze page JavaScript before interaction: ${total} bytes gzip`);
    expect(total, JSON.stringify(scripts)).toBeLessThanOrEqual(10 * 1024);
    expect(workers).toBe(0);
    await page.close();
  });
});

describe('analysis', () => {
  it('a pasted 6.16 smaps: the pairs, the regression named with a link to its chapter, suspect boundaries drawn', async () => {
    const { smaps, first } = mergeAnySmaps(8);
    const page = await open();
    await page.fill('[data-role="smaps"]', smaps);
    await page.selectOption('[data-role="kernel"]', '6.16');
    await page.click('[data-act="analyze"]');
    await analysed(page);
    const pairs = await page.locator('[data-role="pairs"]').textContent();
    expect(pairs).toContain('PR_SET_MEMORY_MERGE regression');
    // The 7 boundaries of the 8 one-page mappings are one group, in kernel terms.
    expect(pairs).toContain(`${first.toString(16)}-${(first + 8 * P).toString(16)}: 8 touching VMAs, 7 boundaries with the same reason`);
    expect(pairs).toMatch(/ksm_add_vma\(\)/);
    expect(pairs).toContain('cf7e7a3503df');
    expect(await page.locator('[data-role="regression"] a').getAttribute('href')).toBe('/regression/#how-it-shows');
    expect(await page.locator('.an-pair.regression a[href^="/regression/"]').count()).toBeGreaterThan(0);
    expect(await page.locator('.an-runs li').first().textContent()).toMatch(/8 VMAs.*PR_SET_MEMORY_MERGE regression/);
    // The picture zooms to that run: 7 suspect boundaries marked.
    expect(await page.locator('[data-role="window"] .bd.identical').count()).toBe(7);
    expect(await page.locator('[data-role="report"]').textContent()).toContain('PR_SET_MEMORY_MERGE regression pattern: 7 pairs');
    // The same smaps read as 6.18: not the regression, different anon_vmas.
    await page.selectOption('[data-role="kernel"]', '6.18');
    await page.click('[data-act="analyze"]');
    await page.waitForFunction(() => /6\.18 rules/.test(document.querySelector('.an-source')?.textContent ?? ''));
    // The summary opens with a whole sentence.
    expect(await page.locator('.an-source').textContent()).toMatch(/^Analysed .+ with the Linux 6\.18 rules\./);
    expect(await page.locator('[data-role="regression"]').count()).toBe(0);
    expect(await page.locator('[data-role="pairs"]').textContent()).toContain('not the PR_SET_MEMORY_MERGE regression');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('bad input gets the analyser\'s message: what was expected and what to run', async () => {
    const page = await open();
    await page.fill('[data-role="smaps"]', '55e0a000-55e0b000 r--p 00000000 fe:00 123   /usr/bin/cat\n55e0b000-55e0c000 r-xp 00001000 fe:00 123   /usr/bin/cat\n');
    await page.click('[data-act="analyze"]');
    await page.waitForSelector('[data-role="error"]:not([hidden])');
    const err = await page.locator('[data-role="error"]').textContent();
    expect(err).toContain('This is /proc/PID/maps');
    expect(err).toContain('cat /proc/PID/smaps');
    expect(await page.locator('[data-role="results"]').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-role'))).toBe('error');
    await page.fill('[data-role="smaps"]', 'hello\n');
    await page.click('[data-act="analyze"]');
    await page.waitForFunction(() => /does not look like \/proc\/PID\/smaps/.test(document.querySelector('[data-role="error"]')?.textContent ?? ''));
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('"Try an example" from the keyboard loads the engine\'s 6.16 merge-any process', async () => {
    const page = await open();
    await page.focus('[data-act="example"]');
    await page.keyboard.press('Enter');
    await analysed(page);
    expect(await page.locator('[data-role="kernel"]').inputValue()).toBe('6.16');
    expect(await page.locator('[data-role="smaps"]').inputValue()).toMatch(/^555555554000-/);
    expect(await page.locator('[data-role="regression"]').textContent()).toContain('PR_SET_MEMORY_MERGE');
    expect(await page.locator('.an-ksm-list').textContent()).toContain('ksm_merge_any: yes');
    // Zoom with the run button, then step with the window buttons.
    const before = await page.locator('[data-role="window"] figcaption').textContent();
    await page.click('[data-act="win-next"]');
    await page.waitForFunction((t) => document.querySelector('[data-role="window"] figcaption')?.textContent !== t, before);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});

describe('a 60,000-VMA smaps', () => {
  it('is analysed in the Worker in under 2 s, with progress shown and the page responsive', async () => {
    const { text } = generateSmaps(60_000);
    const file = join(tmp, 'smaps-60k.txt');
    writeFileSync(file, text);
    const page = await open();
    // Warm: the first use loads the Worker (its load is not the analysis).
    await page.click('[data-act="example"]');
    await analysed(page);
    await page.evaluate(() => {
      const w = window as unknown as { probe: { maxGap: number; progress: number; stop: boolean } };
      w.probe = { maxGap: 0, progress: 0, stop: false };
      let last = performance.now();
      const tick = () => { const now = performance.now(); w.probe.maxGap = Math.max(w.probe.maxGap, now - last); last = now; if (!w.probe.stop) setTimeout(tick, 10); };
      setTimeout(tick, 10);
      const box = document.querySelector<HTMLElement>('[data-role="progress-box"]')!;
      const bar = document.querySelector<HTMLProgressElement>('[data-role="progress"]')!;
      new MutationObserver(() => { if (!box.hidden) w.probe.progress = Math.max(w.probe.progress, bar.value); })
        .observe(document.querySelector('mg-analyze')!, { subtree: true, attributes: true, childList: true, characterData: true });
    });
    await page.evaluate(() => { document.querySelector('[data-role="status"]')!.textContent = ''; });
    await page.setInputFiles('[data-role="file"]', file);
    await analysed(page, 60_000);
    const r = await page.evaluate(() => {
      const w = window as unknown as { probe: { maxGap: number; progress: number; stop: boolean } };
      w.probe.stop = true;
      const el = document.querySelector<HTMLElement>('mg-analyze')!;
      return { ms: Number(el.dataset.ms), workerMs: Number(el.dataset.workerMs), ...w.probe, status: document.querySelector('[data-role="status"]')!.textContent };
    });
    console.log(`60,000 VMAs (${(text.length / 1024 / 1024).toFixed(1)} MB): ${r.ms} ms from the file to the rendered result (Worker ${r.workerMs} ms); `
      + `longest main-thread gap ${r.maxGap.toFixed(0)} ms; progress reached ${r.progress} %. Status: ${r.status}`);
    expect(r.ms).toBeLessThan(2000);
    expect(r.progress).toBeGreaterThan(0);
    expect(r.maxGap).toBeLessThan(500);
    expect(await page.locator('.an-fig-n').first().textContent()).toBe('60,000');
    // The picture stays a strip plus a zoomed window, and the pair list is paged.
    expect(await page.locator('[data-role="window"] .vma').count()).toBeLessThanOrEqual(96);
    expect(await page.locator('.an-pair').count()).toBeLessThanOrEqual(50);
    await page.click('[data-act="more"]');
    await page.waitForFunction(() => document.querySelectorAll('.an-pair').length > 50);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});

describe('accessibility', () => {
  it.each(['light', 'dark'])('axe: no violations with results and details open (%s)', async (theme) => {
    const page = await open(theme);
    await page.click('[data-act="example"]');
    await analysed(page);
    await page.evaluate(() => document.querySelectorAll('mg-analyze details').forEach((d) => { (d as HTMLDetailsElement).open = true; }));
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('[data-role="smaps"]', 'not smaps\n');
    await page.click('[data-act="analyze"]');
    await page.waitForSelector('[data-role="error"]:not([hidden])');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
