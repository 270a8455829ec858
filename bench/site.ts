// Site benchmark (called by bench/index.ts): build, page and editor weight and speed
// (bench/site_weight.ts), in-page Run time.
import { DIST } from '../tests/browser/build-site';
import { serveDir } from '../tests/browser/static-server';
import { launch } from '../tests/browser/chromium';
import { benchSiteBigRun } from './site_big_run';
import { benchSiteWeight } from './site_weight';

export async function benchSite(): Promise<void> {
  console.log('## site');
  await benchSiteWeight();
  const { server, url } = await serveDir(DIST);
  const b = await launch();
  try {
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
