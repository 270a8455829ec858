// Finding your way (issue 18): the "On this page" list, search that lands on the section with the
// terms marked and ranks the chapter that introduces a term first, and the glossary page.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Launched } from './chromium';

const base = inject('baseUrl');
let b: Launched;
beforeAll(async () => { b = await launch(); });
afterAll(async () => { await b?.close(); });

async function open(path: string, width = 1280, height = 900): Promise<Page> {
  const page = await b.ctx.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(`${base}${path}`);
  return page;
}

describe('on this page', () => {
  it('is a sticky column at 1280 px that marks the section being read', async () => {
    const page = await open('/merge-any/');
    const toc = page.locator('mg-toc');
    await page.waitForFunction(() => document.querySelector<HTMLDetailsElement>('mg-toc details')?.open === true);
    const hrefs = await toc.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain('#fork');
    expect(hrefs).toContain('#the-stack-never-gets-mg'); // h3 too
    // Every entry is a heading of the page.
    for (const h of hrefs) expect(await page.locator(`h2${h}, h3${h}`).count(), h!).toBe(1);
    await page.locator('#turning-it-off').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('turning-it-off')!.scrollIntoView({ block: 'start' }));
    await page.waitForFunction(() => document.querySelector('mg-toc a[aria-current="true"]')?.getAttribute('href') === '#turning-it-off');
    expect(await toc.locator('a[aria-current="true"]').count()).toBe(1);
    // Sticky: after scrolling far down it is still on screen, right of the text.
    const box = (await toc.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(200);
    const article = (await page.locator('article.prose').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(article.x + article.width);
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    await page.close();
  });

  it('is a closed disclosure on a phone, opened and followed with the keyboard', async () => {
    const page = await open('/merge-any/', 390, 844);
    const details = page.locator('mg-toc details');
    await page.waitForFunction(() => customElements.get('mg-toc') !== undefined);
    expect(await details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    const sum = (await page.locator('mg-toc summary').boundingBox())!;
    expect(sum.x).toBeGreaterThanOrEqual(0);
    expect(sum.x + sum.width).toBeLessThanOrEqual(390);
    await page.locator('mg-toc summary').focus();
    await page.keyboard.press('Enter');
    expect(await details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('mg-toc') !== null && document.activeElement?.tagName)).toBe('A');
    const first = await page.evaluate(() => document.activeElement!.getAttribute('href')!);
    await page.keyboard.press('Enter');
    await page.waitForFunction((h) => location.hash === h, first);
    // Choosing a section closes the list, so that it does not cover the section.
    expect(await details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    await page.close();
  });
});

async function search(page: Page, q: string) {
  await page.locator('#site-search').focus();
  await page.locator('#site-search').fill(q);
  await page.waitForFunction(() => document.querySelectorAll('.search-list > li').length > 0);
}

describe('search', () => {
  it('fits a phone screen', async () => {
    const page = await open('/', 390, 844);
    await search(page, 'anon_vma');
    const r = (await page.locator('.search-results').boundingBox())!;
    expect(r.x).toBeGreaterThanOrEqual(0);
    expect(r.x + r.width).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('ranks the chapter that introduces PR_SET_MEMORY_MERGE first', async () => {
    const page = await open('/');
    await search(page, 'PR_SET_MEMORY_MERGE');
    expect(await page.locator('.search-list > li a.search-page').first().getAttribute('href')).toMatch(/^\/merge-any\//);
    await page.close();
  });

  it('lands on the section, with the terms marked', async () => {
    const page = await open('/');
    await search(page, 'pages_to_scan');
    const a = page.locator('.search-list > li a.search-page').first();
    const href = (await a.getAttribute('href'))!;
    expect(href).toMatch(/^\/ksm\/\?highlight=pages_to_scan#[\w-]+$/);
    await a.click();
    await page.waitForFunction(() => document.querySelectorAll('mark.search-hit').length > 0);
    const id = href.split('#')[1];
    // The page scrolled to that heading (it is near the top of the screen), and the marks are in the text, not the toolbars.
    const y = await page.evaluate((id) => document.getElementById(id)!.getBoundingClientRect().top, id);
    expect(Math.abs(y)).toBeLessThan(150);
    expect(await page.locator('[data-pagefind-ignore] mark.search-hit').count()).toBe(0);
    await page.close();
  });

  it('does not index toolbars, test badges or import lines', async () => {
    const page = await open('/regression/');
    const outside = await page.evaluate(() => {
      const parts = [...document.querySelectorAll('.pg-toolbar, .pg-expect, .pg-stepper, .pg-file, .pg-output')];
      const imports = [...document.querySelectorAll('.pg-code .line')].filter((l) => /^\s*import\b/.test(l.textContent ?? ''));
      return { parts: parts.length, imports: imports.length,
        indexed: [...parts, ...imports].filter((e) => !e.closest('[data-pagefind-ignore]')).map((e) => e.className) };
    });
    expect(outside.parts).toBeGreaterThan(10);
    expect(outside.imports).toBeGreaterThan(3);
    expect(outside.indexed).toEqual([]);
    // And in the built index: the text Pagefind holds for this page has no badge, toolbar or import line.
    const content = await page.evaluate(`import('/pagefind/pagefind.js').then(async (pf) => {
      const r = await pf.search('PR_SET_MEMORY_MERGE');
      for (const x of r.results) { const d = await x.data(); if (d.url.startsWith('/regression/')) return d.content; }
      return null;
    })`) as string;
    expect(content).toContain('PR_SET_MEMORY_MERGE');
    expect(content).not.toMatch(/Checked by the tests:|Compare with|Export as C|from "mergeable"|Source: content/);
    await page.close();
  });
});

describe('glossary', () => {
  it('is its own page, linked from start-here and the sidebar', async () => {
    const page = await open('/start-here/');
    expect(await page.locator('article a[href="/glossary/"]').count()).toBeGreaterThan(0);
    expect(await page.locator('nav.sidebar a[href="/glossary/"]').count()).toBe(1);
    await page.goto(`${base}/glossary/`);
    expect(await page.locator('h1').textContent()).toBe('Glossary');
    expect(await page.locator('p#anon_vma strong').textContent()).toBe('anon_vma');
    await page.close();
  });

  it('first uses of terms in a chapter link to their entries, once', async () => {
    const page = await open('/ksm/');
    const hrefs = await page.locator('article :not(.introduces) > a.gloss').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain('/glossary/#ksmd');
    expect(hrefs.filter((h) => h === '/glossary/#ksmd')).toHaveLength(1);
    await page.close();
  });
});

describe('long outputs', () => {
  it('fold to their first screen until the reader asks, or works with the playground', async () => {
    const page = await open('/regression/', 1280, 900);
    await page.waitForFunction(() => document.querySelectorAll('mg-playground[data-folded]').length > 0);
    const firstId = await page.locator('mg-playground[data-folded]').first().getAttribute('data-id');
    const pg = page.locator(`mg-playground[data-id="${firstId}"]`);
    const out = pg.locator('[data-role="output"]');
    expect((await out.boundingBox())!.height).toBeLessThanOrEqual(0.8 * 900);
    const button = pg.locator('.pg-unfold');
    expect(await button.getAttribute('aria-controls')).toBe(await out.getAttribute('id'));
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await pg.evaluate((el) => el.hasAttribute('data-folded'))).toBe(false);
    expect((await out.boundingBox())!.height).toBeGreaterThan(900);
    expect(await out.evaluate((el) => el === document.activeElement)).toBe(true);
    // Another folded one: stepping with the keyboard in its output unfolds it.
    const other = page.locator('mg-playground[data-folded]').first();
    const id = await other.getAttribute('data-id');
    await other.locator('[data-role="output"]').focus();
    await page.keyboard.press('Home');
    await page.waitForFunction((id) => !document.querySelector(`mg-playground[data-id="${id}"]`)!.hasAttribute('data-folded'), id);
    await page.close();
  });

  it('are their first screen in the HTML; "Show all" renders the rest from the scenario\'s JSON', async () => {
    const page = await open('/regression/', 1280, 900);
    const pg = page.locator('#pg-regression-many-mappings');
    const steps = pg.locator('.pg-run[data-version="6.16"] .pg-step');
    const html = await (await fetch(`${base}/regression/`)).text();
    expect(html.length).toBeLessThan(250 * 1024);   // issue 18: the page was 622 KB with every output in full
    expect(await steps.count()).toBe(8);
    const all = pg.locator('.pg-run[data-version="6.16"] [data-act="show-all"]', { hasText: /^Show all \d+ steps$/ });
    const n = Number((await all.textContent())!.match(/\d+/)![0]);
    expect(n).toBeGreaterThan(8);
    await all.click();
    await page.waitForFunction((n) => document.querySelectorAll('#pg-regression-many-mappings .pg-run[data-version="6.16"] .pg-step').length === n, n);
    expect(await pg.locator('[data-act="show-all"]').count()).toBe(0);
    expect(await pg.locator('[data-role="output"]').evaluate((el) => el === document.activeElement)).toBe(true);
    // The folded maps of the static output got their "Show more" lines back too.
    expect(await pg.locator('.pg-run[data-version="6.16"] .pg-maps pre').evaluate((el) => el.textContent!.split('\n').length)).toBeGreaterThan(16);
    await page.close();
  });
});
