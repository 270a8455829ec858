// axe-core scan of every built page, in light and dark themes, plus the chapter after interaction.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { launch, type Launched } from './chromium';
import { builtPages } from './pages';

const base = inject('baseUrl');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let b: Launched;
beforeAll(async () => { b = await launch(); });
afterAll(async () => { await b?.close(); });

async function scan(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const res = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return res.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
}

describe.each(['light', 'dark'])('axe, %s theme', (theme) => {
  it.each(builtPages())('%s has no violations', async (path) => {
    const page = await b.ctx.newPage();
    await page.addInitScript((t) => localStorage.setItem('mergeable-theme', t), theme);
    await page.goto(`${base}${path}`);
    expect(await scan(page)).toEqual([]);
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
  const v = await scan(page);
  expect(v).toEqual([]);
  await page.close();
});
