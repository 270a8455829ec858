// The analyser page under bad and big input: vm.max_map_count -5 is refused as the CLI refuses it,
// a 73 MB paste is kept out of the text box (which would freeze the page) and analysed in the
// Worker with a note pointing to the file picker, and input warnings are shown.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Launched } from './chromium';

const URL_ = `${inject('baseUrl')}/analyze/`;
let b: Launched;
beforeAll(async () => { b = await launch(); });
afterAll(async () => { await b?.close(); });

type P2 = Page & { errors: string[] };
async function open(): Promise<P2> {
  const page = (await b.ctx.newPage()) as P2;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(URL_);
  return page;
}
const status = (page: Page) => page.locator('mg-analyze [data-role="status"]').textContent();
const VMA = (start: number, flags = 'rd wr mr mw me ac') =>
  `${start.toString(16)}-${(start + 0x1000).toString(16)} rw-p 00000000 00:00 0 \nRss:                   4 kB\nVmFlags: ${flags}\n`;

describe('analyser input in the page', () => {
  it('vm.max_map_count -5 is refused with the sysctl\'s range, and nothing is analysed', async () => {
    const page = await open();
    await page.fill('[data-role="smaps"]', VMA(0x7f0000000000));
    await page.fill('[data-role="maxmap"]', '-5');
    await page.click('[data-act="analyze"]');
    await page.waitForSelector('[data-role="error"]:not([hidden])');
    expect(await page.locator('[data-role="error"]').textContent()).toContain('vm.max_map_count must be a whole number from 0 to 2,147,483,647');
    expect(await page.locator('[data-role="results"]').isHidden()).toBe(true);
    expect(await page.locator('[data-role="maxmap"]').getAttribute('aria-invalid')).toBe('true');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('a 73 MB paste stays out of the text box, is analysed in the Worker, and the page says to use the file picker', async () => {
    const page = await open();
    const size = await page.evaluate((vma) => {
      const parts: string[] = [];
      let n = 0;
      for (let a = 0x7f0000000000; n < 73 * 1024 * 1024; a += 0x2000) { const s = vma.replace(/^\w+-\w+/, `${a.toString(16)}-${(a + 0x1000).toString(16)}`); parts.push(s); n += s.length; }
      const dt = new DataTransfer();
      dt.setData('text/plain', parts.join(''));
      const ta = document.querySelector<HTMLTextAreaElement>('[data-role="smaps"]')!;
      ta.focus();
      ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      return n;
    }, VMA(0));
    expect(size).toBeGreaterThan(73 * 1024 * 1024);
    await page.waitForFunction(() => /^Analysed/.test(document.querySelector('mg-analyze [data-role="status"]')?.textContent ?? ''), null, { timeout: 90_000 });
    expect(await page.locator('[data-role="smaps"]').inputValue()).toBe('');
    const note = await page.locator('[data-role="paste-note"]').textContent();
    expect(note).toMatch(/^The paste is 73\.\d MB: over 1\.0 MB, it is kept out of the text box/);
    expect(note).toContain('open the saved file');
    expect(await status(page)).toMatch(/in a Web Worker/);
    await page.screenshot({ path: 'tests/.tmp/analyze-big-paste.png' });
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('warnings about input the kernel would not print are shown with the results', async () => {
    const page = await open();
    await page.fill('[data-role="smaps"]', VMA(0x7f0000000000, 'rd wr mr mw me zz') + VMA(0x7f0000002000));
    await page.click('[data-act="analyze"]');
    await page.waitForSelector('[data-role="warnings"]');
    expect(await page.locator('[data-role="warnings"]').textContent()).toContain('Line 1: VmFlags "zz" is a mnemonic');
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
