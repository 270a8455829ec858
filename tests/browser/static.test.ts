// The chapter without JavaScript: code, steps, diagram, maps and both compare columns are real
// HTML. Plus a link check of the whole built site (internal links, assets and #fragments).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, type Launched } from './chromium';
import { DIST } from './build-site';
import { builtPages } from './pages';

const base = inject('baseUrl');
let b: Launched;
beforeAll(async () => { b = await launch({ javaScriptEnabled: false }); });
afterAll(async () => { await b?.close(); });

describe('chapter with JavaScript off', () => {
  it('renders the scenarios from the engine', async () => {
    const page = await b.ctx.newPage();
    await page.goto(`${base}/regression/`);
    expect(await page.locator('h1').textContent()).toBe('The regression');
    const pg = page.locator('#pg-regression-anon-merge');
    expect(await pg.locator('.pg-code pre').textContent()).toContain('PR_SET_MEMORY_MERGE');
    // Compare mode is rendered statically: both versions, differences marked.
    const titles = await pg.locator('.pg-run-title').allTextContents();
    expect(titles).toEqual([expect.stringMatching(/^Linux 6\.16/), expect.stringMatching(/^Linux 6\.17/)]);
    expect(await pg.locator('.pg-step.differs').count()).toBeGreaterThan(0);
    expect(await pg.locator('svg.pg-svg[role="img"] title').count()).toBeGreaterThanOrEqual(2);
    expect(await pg.locator('.pg-run').first().locator('svg desc').first().textContent()).toContain('not merged');
    expect(await pg.locator('.pg-maps pre').first().textContent()).toContain('[heap]');
    expect(await pg.locator('.pg-events').first().textContent()).toContain('()');
    // The interactive controls are hidden, not dead.
    expect(await page.locator('.pg-toolbar').first().isVisible()).toBe(false);
    expect(await page.locator('.pg-claim.bad').count()).toBe(0);
    expect(await page.locator('.pg-claim.ok').count()).toBeGreaterThanOrEqual(5);
    await page.close();
  });
});

describe('link check of the built site', () => {
  it('every internal link, asset and fragment exists', () => {
    const broken: string[] = [];
    const idsOf = new Map<string, Set<string>>();
    const fileFor = (path: string) => {
      const p = join(DIST, decodeURIComponent(path));
      if (path.endsWith('/')) return join(p, 'index.html');
      return p;
    };
    const ids = (file: string) => {
      if (!idsOf.has(file)) idsOf.set(file, new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
      return idsOf.get(file)!;
    };
    const pages = builtPages();
    expect(pages).toEqual(expect.arrayContaining(['/', '/regression/', '/api/', '/404.html']));
    for (const page of pages) {
      const file = fileFor(page);
      const html = readFileSync(file, 'utf8');
      for (const m of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
        const ref = m[1].replace(/&amp;/g, '&');
        if (/^(https?:|mailto:|data:)/.test(ref)) continue;
        const u = new URL(ref, `http://site${page}`);
        const target = fileFor(u.pathname);
        if (!existsSync(target)) { broken.push(`${page}: ${ref} (no ${u.pathname})`); continue; }
        if (u.hash && target.endsWith('.html') && !ids(target).has(decodeURIComponent(u.hash.slice(1)))) broken.push(`${page}: ${ref} (no id ${u.hash})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
