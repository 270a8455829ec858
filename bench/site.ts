// Site benchmark (called by bench/index.ts): build time, JS per page before interaction,
// click-to-ready time of the editor (cold and after hover prefetch), in-page Run time.
import { gzipSync } from 'node:zlib';
import { buildSite, DIST } from '../tests/browser/build-site';
import { serveDir } from '../tests/browser/static-server';
import { launch } from '../tests/browser/chromium';
import { builtPages } from '../tests/browser/pages';
import { benchSiteBigRun } from './site_big_run';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function benchSite(): Promise<void> {
  console.log('## site');
  const buildMs = buildSite(true)!;
  console.log(`build (astro build + pagefind): ${(buildMs / 1000).toFixed(1)} s`);
  const { server, url } = await serveDir(DIST);
  const b = await launch();
  try {
    for (const path of builtPages()) {
      const page = await b.ctx.newPage();
      let gz = 0;
      page.on('response', async (r) => { if (r.request().resourceType() === 'script') gz += gzipSync(await r.body()).length; });
      await page.goto(url + path, { waitUntil: 'networkidle' });
      const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? '').join(''));
      console.log(`JS before interaction ${path}: ${kb(gz + gzipSync(inline).length)} gzip`);
      await page.close();
    }
    const pg = '#pg-regression-anon-merge';
    for (const mode of ['cold', 'hover prefetch'] as const) {
      const ctxB = await launch();
      const page = await ctxB.ctx.newPage();
      await page.goto(`${url}/regression/`, { waitUntil: 'networkidle' });
      if (mode === 'hover prefetch') { await page.hover(`${pg} [data-act="edit"]`); await page.waitForTimeout(1500); }
      const t0 = Date.now();
      await page.click(`${pg} [data-act="edit"]`);
      await page.waitForFunction((s) => /Editor ready/.test(document.querySelector(`${s} [data-role="status"]`)?.textContent ?? ''), pg, { timeout: 60_000 });
      console.log(`editor ready after click (${mode}, fresh browser cache): ${Date.now() - t0} ms`);
      await ctxB.close();
    }
    const page = await b.ctx.newPage();
    await page.goto(`${url}/regression/`, { waitUntil: 'networkidle' });
    const ids = await page.evaluate(() => [...document.querySelectorAll('mg-playground')].map((e) => e.closest('section')!.id));
    for (const id of ids) {
      await page.click(`#${id} [data-act="run"]`);
      await page.waitForFunction((s) => /^Ran on|error/.test(document.querySelector(`#${s} [data-role="status"]`)?.textContent ?? ''), id, { timeout: 30_000 });
      console.log(`Run in page ${id}: ${await page.locator(`#${id} [data-role="status"]`).textContent()}`);
    }
    await benchSiteBigRun(url);
  } finally {
    await b.close();
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSite();
