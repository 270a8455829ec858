// The playground in Chromium: compare mode, keyboard stepping, Edit/Run with Monaco, share links
// (never run on load), the phone editor, and the JS budget before interaction. Hostile links and
// the time limit: sandbox.test.ts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launch, type Launched } from './chromium';
import { builtPages } from './pages';

const base = inject('baseUrl');
const CHAPTER = `${base}/regression/`;
const PG = '#pg-regression-anon-merge';
let b: Launched;
beforeAll(async () => { b = await launch(); });
afterAll(async () => { await b?.close(); });

async function open(url = CHAPTER): Promise<Page> {
  const page = await b.ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as Page & { errors: string[] }).errors = errors;
  // Start clean: no edits kept from an earlier test (they would be restored on load).
  await page.goto(`${base}/404.html`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(url);
  return page;
}
const text = (page: Page, sel: string) => page.locator(sel).first().textContent().then((t) => t ?? '');
const status = (page: Page, pg = PG) => text(page, `${pg} [data-role="status"]`);

describe('before interaction', () => {
  it.each(builtPages())('%s loads at most 10 KB (gzip) of JavaScript, and no editor', async (path) => {
    const page = await b.ctx.newPage();
    const scripts: { url: string; gz: number }[] = [];
    page.on('response', async (r) => {
      if (r.request().resourceType() === 'script') scripts.push({ url: r.url(), gz: gzipSync(await r.body()).length });
    });
    await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
    const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? '').join('\n'));
    const total = scripts.reduce((n, s) => n + s.gz, 0) + gzipSync(inline).length;
    expect(total, JSON.stringify(scripts)).toBeLessThanOrEqual(10 * 1024);
    expect(scripts.filter((s) => /monaco|editor|worker|controller/i.test(s.url))).toEqual([]);
    await page.close();
  });
});

describe('compare and step-through', () => {
  it('compare mode shows both versions with differences marked, and follows the selectors', async () => {
    const page = await open();
    // The toolbar reads like the columns: "Kernel" is the left column, "Compare with" the right one.
    expect(await page.locator(`${PG} [data-role="version"]`).inputValue()).toBe('6.16');
    expect(await page.locator(`${PG} [data-role="version-b"]`).inputValue()).toBe('6.17');
    await page.selectOption(`${PG} [data-role="version"]`, '6.3');
    await page.waitForFunction((pg) => document.querySelector(`${pg} .pg-run-title`)?.textContent?.startsWith('Linux 6.3'), PG);
    expect(await page.locator(`${PG} .pg-run-title`).allTextContents()).toEqual([expect.stringMatching(/^Linux 6\.3/), expect.stringMatching(/^Linux 6\.17/)]);
    expect(await text(page, `${PG} .pg-diffsummary`)).toMatch(/6\.3: .*6\.17/);
    expect(await text(page, `${PG} .pg-run .pg-error`)).toContain('EINVAL');
    // The same version twice is refused, and the columns shown are marked as not matching the selectors.
    await page.selectOption(`${PG} [data-role="version-b"]`, '6.3');
    await page.waitForFunction((pg) => /two different versions/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG);
    expect(await page.locator(`${PG} [data-role="output"]`).getAttribute('data-stale')).toBe('true');
    await page.selectOption(`${PG} [data-role="version-b"]`, '6.17');
    await page.uncheck(`${PG} [data-role="compare"]`);
    await page.waitForFunction((pg) => document.querySelectorAll(`${pg} .pg-run`).length === 1, PG);
    expect(await text(page, `${PG} .pg-run-title`)).toMatch(/^Linux 6\.3/);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });

  it('keyboard only: Tab to the output, arrows step, the diagram and step list follow', async () => {
    const page = await open();
    const out = page.locator(`${PG} [data-role="output"]`);
    // Reach the output with Tab from the compare selector, as a keyboard user would.
    await page.focus(`${PG} [data-act="share"]`);
    for (let i = 0; i < 12 && !(await out.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await out.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Home');
    await page.waitForFunction((pg) => document.querySelector(`${pg} [data-role="pos"]`)?.textContent?.startsWith('Step 1 of'), PG);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((pg) => document.querySelector(`${pg} [data-role="pos"]`)?.textContent?.startsWith('Step 2 of'), PG);
    expect(await page.locator(`${PG} .pg-step.current[aria-current="step"]`).count()).toBe(2); // both columns
    expect(await text(page, `${PG} .pg-stepinfo`)).toMatch(/^Step 2 of \d+: prctl/);
    expect(await text(page, `${PG} .pg-panel h5`)).toBe('VMAs in view after step 2');
    await page.keyboard.press('End');
    await page.waitForFunction((pg) => document.querySelector(`${pg} [data-role="pos"]`)?.textContent?.startsWith('Final state'), PG);
    // A click on a step of the list selects it.
    await page.click(`${PG} .pg-run:last-child .pg-step[data-step="2"] .pg-call`);
    await page.waitForFunction((pg) => document.querySelector(`${pg} [data-role="pos"]`)?.textContent?.startsWith('Step 3 of'), PG);
    // The stepper buttons are real buttons too.
    await page.focus(`${PG} [data-act="first"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((pg) => document.querySelector(`${pg} [data-role="pos"]`)?.textContent?.startsWith('Step 1 of'), PG);
    await page.close();
  });

  it('the map_count chart: 6.16 climbs above 6.17, and a click on it selects that step', async () => {
    const page = await open();
    const pg = '#pg-regression-many-mappings';
    const chart = page.locator(`${pg} .pg-mc`);
    expect(await chart.count()).toBe(1); // one chart for both columns
    // The last dot of 6.16 (series 0) is drawn higher (smaller y) than the last of 6.17.
    const lastY = (s: number) => chart.locator(`.series.s${s} circle`).last().getAttribute('cy').then(Number);
    expect(await lastY(0)).toBeLessThan(await lastY(1));
    await chart.locator('.hit[data-step="9"]').click();
    await page.waitForFunction((p) => document.querySelector(`${p} [data-role="pos"]`)?.textContent?.startsWith('Step 10 of'), pg);
    expect(await page.locator(`${pg} .pg-mc .cur`).count()).toBe(1);
    expect(await page.locator(`${pg} .pg-step.current[data-step="9"]`).count()).toBe(2);
    // The 66 steps scroll in a box; the selected one is scrolled into that box's view (whole, or its
    // top part if it is taller than the box's lower two thirds).
    const inView = await page.locator(`${pg} .pg-run:first-child .pg-steps-box`).evaluate((box) => {
      const cur = box.querySelector('.pg-step.current')!.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      return box.scrollTop > 0 && cur.top >= b.top && (cur.bottom <= b.bottom || cur.top - b.top < b.height / 3);
    });
    expect(inView).toBe(true);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });
});

describe('edit and run', () => {
  it('Edit loads Monaco on demand, Run shows the output of the edited code', async () => {
    const page = await open();
    expect(await page.evaluate(() => !!document.querySelector('.monaco-editor'))).toBe(false);
    await page.click(`${PG} [data-act="edit"]`);
    await page.waitForSelector(`${PG} .monaco-editor`, { timeout: 30_000 });
    await page.waitForFunction((pg) => /Editor ready/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG);
    expect(await page.locator(`${PG} [data-role="tabnote"]`).isVisible()).toBe(true);
    // Type at the end: a third mapping. Completion comes from the engine's declarations.
    await page.click(`${PG} .monaco-editor .view-lines`);
    await page.keyboard.press('Control+End');
    // (No quotes: Monaco auto-closes them while typing.)
    await page.keyboard.type('\nconst c = p.mmap(0, 4 * PAGE_SIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS);\nconsole.log(4242000 + 7);\n');
    await page.click(`${PG} [data-act="run"]`);
    await page.waitForFunction((pg) => /^Ran on/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG, { timeout: 15_000 });
    expect(await text(page, `${PG} .pg-run .pg-panel pre`)).toBeTruthy();
    const logs = await page.locator(`${PG} .pg-run`).last().textContent();
    expect(logs).toContain('4242007');
    // Edits survive a reload.
    await page.reload();
    await page.waitForFunction((pg) => /edits from an earlier visit were restored/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG);
    expect(await text(page, `${PG} [data-role="code"]`)).toContain('console.log(4242000 + 7)');
    expect(await page.locator('.monaco-editor').count()).toBe(0); // Monaco still waits for Edit
    await page.click(`${PG} [data-act="reset"]`);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mergeable:code:')).length)).toBe(0);
    await page.close();
  });

  it('type errors and completion from the engine types', async () => {
    const page = await open();
    await page.click(`${PG} [data-act="edit"]`);
    await page.waitForSelector(`${PG} .monaco-editor`, { timeout: 30_000 });
    await page.click(`${PG} .monaco-editor .view-lines`);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\np.mmapp(1);\n');
    await page.waitForSelector(`${PG} .monaco-editor .squiggly-error`, { timeout: 15_000 });
    // Completion from the engine's declarations: members of Process.
    await page.keyboard.type('p.mpr');
    await page.keyboard.press('Control+Space');
    await page.waitForFunction(() => [...document.querySelectorAll('.suggest-widget .monaco-list-row')].some((r) => /mprotect/.test(r.textContent ?? '')), undefined, { timeout: 15_000 });
    await page.close();
  });

  it('a runtime error is reported with its line marked', async () => {
    const page = await open();
    await page.click(`${PG} [data-act="edit"]`);
    await page.waitForSelector(`${PG} .monaco-editor`, { timeout: 30_000 });
    await page.click(`${PG} .monaco-editor .view-lines`);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\np.munmap(a + 1, PAGE_SIZE);\n');
    await page.click(`${PG} [data-act="run"]`);
    await page.waitForFunction((pg) => !!document.querySelector(`${pg} .pg-error`), PG, { timeout: 15_000 });
    expect(await text(page, `${PG} .pg-error`)).toMatch(/EINVAL \(line \d+\)/);
    await page.waitForSelector(`${PG} .pg-errline`);
    await page.close();
  });
});

describe('export as C', () => {
  it('runs the scenario and shows a C program that makes the same calls', async () => {
    const page = await open();
    await page.click(`${PG} [data-act="export-c"]`);
    await page.waitForFunction((pg) => /C reproducer for/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG, { timeout: 15_000 });
    const c = await text(page, `${PG} [data-role="cexport"] pre`);
    expect(c).toContain('#include <sys/mman.h>');
    expect(c).toMatch(/prctl\(67, 1UL/);
    expect(c).toMatch(/mmap\(\(void \*\)0x[0-9a-f]+UL, 16384, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS/);
    expect(await page.getAttribute(`${PG} [data-act="export-c"]`, 'aria-expanded')).toBe('true');
    await page.click(`${PG} [data-act="export-c"]`);
    expect(await page.locator(`${PG} [data-role="cexport"]`).isHidden()).toBe(true);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });
});

describe('export as selftest', () => {
  it('shows the run as a TEST_F(merge, ...) in merge.c\'s fixture, in the same box as Export as C', async () => {
    const page = await open();
    await page.click(`${PG} [data-act="export-selftest"]`);
    await page.waitForFunction((pg) => /TEST_F\(merge, \.\.\.\)/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG, { timeout: 15_000 });
    const c = await text(page, `${PG} [data-role="cexport"] pre`);
    expect(c).toContain('#include "../kselftest_harness.h"');
    expect(c).toMatch(/^TEST_F\(merge, mergeable_scenario\)$/m);
    expect(c).toMatch(/ASSERT_EQ\(procmap->query\.vma_end, \(unsigned long\)&carveout\[\d+ \* page_size\]\);/);
    expect(await page.getAttribute(`${PG} [data-act="export-selftest"]`, 'aria-expanded')).toBe('true');
    await page.click(`${PG} [data-act="export-c"]`); // the same box now shows the C reproducer
    await page.waitForFunction((pg) => /C reproducer for/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG, { timeout: 15_000 });
    expect(await text(page, `${PG} [data-role="cexport"] pre`)).toContain('#include <sys/mman.h>');
    expect(await page.getAttribute(`${PG} [data-act="export-selftest"]`, 'aria-expanded')).toBe('false');
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });
});

describe('share links', () => {
  it('round-trip: the link shows the code and version, and nothing runs until Run', async () => {
    const page = await open();
    await page.click(`${PG} [data-act="edit"]`);
    await page.waitForSelector(`${PG} .monaco-editor`, { timeout: 30_000 });
    await page.click(`${PG} .monaco-editor .view-lines`);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nconsole.log(777000 + 111);\n');
    await page.selectOption(`${PG} [data-role="version"]`, '6.12');
    await page.click(`${PG} [data-act="share"]`);
    await page.waitForFunction(() => location.hash.startsWith('#run='));
    const url = page.url();
    await page.close();

    const p2 = await b.ctx.newPage();
    let workers = 0;
    p2.on('worker', () => workers++);
    await p2.goto(url);
    await p2.waitForFunction((pg) => /shared link\. It has not run/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG, { timeout: 30_000 });
    expect(await p2.locator(`${PG} [data-role="version"]`).inputValue()).toBe('6.12');
    expect(await text(p2, `${PG} [data-role="code"]`)).toContain('console.log(777000 + 111)');
    expect(await p2.locator('.monaco-editor').count()).toBe(0);
    expect(await p2.locator(`${PG} [data-role="output"]`).textContent()).not.toContain('777111');
    // Nothing of the run sandbox loads before Run: no frame, so no worker.
    expect(await p2.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/sandbox\//.test(e.name)))).toBe(false);
    expect(await p2.locator('iframe').count()).toBe(0);
    await p2.click(`${PG} [data-act="run"]`);
    await p2.waitForFunction((pg) => /^Ran on/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG, { timeout: 15_000 });
    expect(await p2.locator(`${PG} [data-role="output"]`).textContent()).toContain('777111');
    void workers;
    await p2.evaluate(() => localStorage.clear());
    await p2.close();
  });
});

describe('phone', () => {
  it('gets a plain editor and can still run', async () => {
    const phone = await launch({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const page = await phone.ctx.newPage();
      await page.goto(CHAPTER);
      await page.tap(`${PG} [data-act="edit"]`);
      await page.waitForSelector(`${PG} textarea`);
      expect(await page.locator(`${PG} .monaco-editor`).count()).toBe(0);
      await page.locator(`${PG} textarea`).fill('import { boot, PR_SET_MEMORY_MERGE } from "mergeable";\nconst p = boot().spawn();\np.prctl(PR_SET_MEMORY_MERGE, 1);\nconsole.log("phone-ok");\n');
      await page.tap(`${PG} [data-act="run"]`);
      await page.waitForFunction((pg) => /^Ran on/.test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), PG, { timeout: 15_000 });
      expect(await page.locator(`${PG} [data-role="output"]`).textContent()).toContain('phone-ok');
    } finally { await phone.close(); }
  });
});

describe('site chrome', () => {
  it('search finds the chapter from a kernel function name', async () => {
    const page = await open(`${base}/`);
    await page.click('#site-search');
    await page.keyboard.type('ksm_add_vma');
    await page.waitForFunction(() => document.querySelectorAll('.search-list a').length > 0, undefined, { timeout: 15_000 });
    const hrefs = await page.locator('.search-list a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(hrefs).toContain('/regression/');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.closest('.search-list') !== null)).toBe(true);
    await page.close();
  });

  it('the theme switch flips and persists, headings have deep links, unknown URLs get the 404 page', async () => {
    const page = await open(`${base}/regression/`);
    const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.click('[data-theme-toggle]');
    const after = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(after).not.toBe(before);
    await page.reload();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(after);
    const anchors = await page.locator('.prose h2 .heading-anchor').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(anchors.length).toBeGreaterThanOrEqual(5);
    for (const h of anchors) expect(await page.locator(`[id="${h!.slice(1)}"]`).count()).toBe(1);
    const res = await page.goto(`${base}/no-such-page/`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });
});
