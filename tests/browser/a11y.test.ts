// axe-core scan of every built page, in light and dark themes, plus the chapter after interaction.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations } from './axe';
import { launch, type Launched } from './chromium';
import { builtPages } from './pages';

const base = inject('baseUrl');
let b: Launched;
beforeAll(async () => { b = await launch(); });
afterAll(async () => { await b?.close(); });


describe.each(['light', 'dark'])('axe, %s theme', (theme) => {
  it.each(builtPages())('%s has no violations', async (path) => {
    const page = await b.ctx.newPage();
    await page.addInitScript((t) => localStorage.setItem('mergeable-theme', t), theme);
    await page.goto(`${base}${path}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

it('the chapter after interaction (stepping, editor open) has no violations', async () => {
  const page = await b.ctx.newPage();
  await page.goto(`${base}/regression/`);
  const pg = '#pg-regression-anon-merge';
  await page.click(`${pg} [data-act="first"]`);
  await page.waitForFunction((s) => document.querySelector(`${s} [data-role="pos"]`)?.textContent?.startsWith('Step 1'), pg);
  await page.click(`${pg} [data-act="edit"]`);
  await page.waitForSelector(`${pg} .monaco-editor`, { timeout: 30_000 });
  const v = await axeViolations(page);
  expect(v).toEqual([]);
  await page.close();
});
