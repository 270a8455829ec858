// Errors the way the TypeScript Playground shows them (issue 18): a syntax error has its line:column
// and what was expected and is marked in the editor, a type error stops the run before it starts, a
// bad import names the export and close names, a failed run leaves no stale output, the trace shows
// every argument; the phone editor has line numbers and no soft wrap; Reset says what it did.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launch, type Launched } from './chromium';

const base = inject('baseUrl');
const ID = 'regression/anon-merge';
const PG = '#pg-regression-anon-merge';
const HEAD = 'import { boot, PAGE_SIZE, PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } from "mergeable";\n';
let b: Launched;
beforeAll(async () => { b = await launch(); });
afterAll(async () => { await b?.close(); });

const b64url = (buf: Buffer) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const link = (code: string, v = '6.17', c?: string) =>
  `${base}/regression/#${new URLSearchParams({ run: ID, v, ...(c === undefined ? {} : { c }), code: b64url(deflateRawSync(code)) })}`;
const status = (page: Page) => page.locator(`${PG} [data-role="status"]`).textContent().then((t) => t ?? '');
const waitStatus = (page: Page, re: RegExp, timeout = 30_000) =>
  page.waitForFunction(([pg, src]) => new RegExp(src).test(document.querySelector(`${pg} [data-role="status"]`)?.textContent ?? ''), [PG, re.source] as const, { timeout });

async function open(url: string, width = 1280): Promise<Page> {
  const page = await b.ctx.newPage();
  await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
  await page.goto(`${base}/404.html`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(url);
  return page;
}

async function monaco(page: Page) {
  await page.click(`${PG} [data-act="edit"]`);
  await page.waitForSelector(`${PG} .monaco-editor`, { timeout: 30_000 });
  await page.click(`${PG} .monaco-editor .view-lines`);
  await page.keyboard.press('Control+End');
}

describe('a shared link', () => {
  it('naming the compare column\'s kernel runs that kernel once, not the same version twice', async () => {
    const page = await open(link(HEAD + 'boot().spawn();\n', '6.17'));   // the playground compares 6.16 with 6.17
    await waitStatus(page, /shared link/);
    expect(await page.locator(`${PG} [data-role="compare"]`).isChecked()).toBe(false);
    await page.click(`${PG} [data-act="run"]`);
    await waitStatus(page, /^Ran on/);
    expect(await status(page)).toMatch(/^Ran on 6\.17 in /);
    await page.close();
  });
});

describe('a shared link and the compare column (c=)', () => {
  const compare = (page: Page) => page.locator(`${PG} [data-role="compare"]`);
  const second = (page: Page) => page.locator(`${PG} [data-role="version-b"]`);

  it('c=<version> opens with compare on, that kernel in the second column, and Run runs both', async () => {
    const page = await open(link(HEAD + 'boot().spawn();\n', '6.18', '6.4'));
    await waitStatus(page, /shared link/);
    expect(await compare(page).isChecked()).toBe(true);
    expect(await second(page).inputValue()).toBe('6.4');
    await page.click(`${PG} [data-act="run"]`);
    await waitStatus(page, /^Ran on/);
    expect(await status(page)).toMatch(/^Ran on 6\.18 and 6\.4 in /);
    await page.close();
  });

  it('an empty c= opens with compare off, on a playground that compares by default', async () => {
    const page = await open(link(HEAD + 'boot().spawn();\n', '6.16', ''));
    await waitStatus(page, /shared link/);
    expect(await compare(page).isChecked()).toBe(false);
    await page.click(`${PG} [data-act="run"]`);
    await waitStatus(page, /^Ran on/);
    expect(await status(page)).toMatch(/^Ran on 6\.16 in /);
    await page.close();
  });

  it('an unknown c= is named in the status line, as text, and the second column keeps its kernel', async () => {
    const page = await open(link(HEAD + 'boot().spawn();\n', '6.16', '<b>9.99</b>'));
    await waitStatus(page, /shared link/);
    expect(await status(page)).toContain('The link asks to compare with Linux <b>9.99</b>, which this site does not model');
    expect(await page.locator(`${PG} [data-role="status"] b`).count()).toBe(0);
    expect(await second(page).inputValue()).toBe('6.17');
    await page.close();
  });

  it('the Share button writes c= for the compare column, and the link it makes opens the same way', async () => {
    const page = await open(`${base}/regression/`);
    await page.selectOption(`${PG} [data-role="version-b"]`, '6.18');
    await page.click(`${PG} [data-act="share"]`);
    await page.waitForFunction(() => /[#&]c=6\.18&/.test(location.hash));
    const shared = page.url();
    const again = await open(shared);
    await waitStatus(again, /shared link/);
    expect(await again.locator(`${PG} [data-role="version-b"]`).inputValue()).toBe('6.18');
    expect(await again.locator(`${PG} [data-role="compare"]`).isChecked()).toBe(true);
    await again.close();
    await page.close();
  });
});

describe('before running (Monaco)', () => {
  it('a syntax error: line:column, what was expected, a marker, and the old output cleared', async () => {
    const page = await open(`${base}/regression/`);
    await monaco(page);
    await page.keyboard.type('\nconsole.log(1 2);\n');
    await page.click(`${PG} [data-act="run"]`);
    await waitStatus(page, /^Not run/);
    const line = /^Not run: a syntax error at line (\d+):15\. Fix it, then press Run\.$/.exec(await status(page))?.[1];
    expect(line).toBeDefined();
    const box = page.locator(`${PG} [data-role="output"] .pg-error`);
    expect(await box.textContent()).toBe(`SyntaxError (line ${line}:15): ',' expected.`);
    // The previous (precomputed) output is gone: only the error box is there.
    expect(await page.locator(`${PG} [data-role="output"] .pg-run`).count()).toBe(0);
    // Marked in the editor: the line, and a squiggle at the spot.
    await page.waitForSelector(`${PG} .pg-errline`);
    await page.waitForSelector(`${PG} .monaco-editor .squiggly-error`);
    await page.close();
  });

  it('a type error stops the run before it starts', async () => {
    const page = await open(`${base}/regression/`);
    await monaco(page);
    await page.keyboard.type('\nconst n: number = "four";\n');
    await page.click(`${PG} [data-act="run"]`);
    await waitStatus(page, /^Not run/);
    expect(await status(page)).toMatch(/^Not run: a type error at line \d+:7\. Fix it \(or put \/\/ @ts-expect-error/);
    expect(await page.locator(`${PG} [data-role="output"] .pg-error`).textContent()).toMatch(/^Type error \(line \d+:7\): Type 'string' is not assignable to type 'number'\./);
    // No sandbox frame was started: nothing ran.
    expect(await page.locator('iframe.pg-sandbox').count()).toBe(0);
    await page.close();
  });
});

describe('in the sandbox (code from a link, no editor)', () => {
  it('a bad import names the export and the close names', async () => {
    const page = await open(link('import { boot, PROT_RAED } from "mergeable";\nboot().spawn();\n'));
    await waitStatus(page, /shared link/);
    await page.click(`${PG} [data-act="run"]`);
    await waitStatus(page, /^The code does not compile/);
    expect(await status(page)).toMatch(/^The code does not compile \(line 1, column 16\): The module "mergeable" has no export "PROT_RAED"\. Close names: PROT_READ, /);
    expect(await page.locator(`${PG} .pg-error`).textContent()).toMatch(/^Import error \(line 1:16\): The module "mergeable" has no export "PROT_RAED"/);
    await page.close();
  });

  it('a syntax error after a good run replaces its output; the trace prints every argument as given', async () => {
    const code = `${HEAD}const p = boot().spawn();\n// @ts-expect-error: a string where the protection belongs\np.mmap(0, PAGE_SIZE, "rw", MAP_PRIVATE | MAP_ANONYMOUS);\n`;
    const page = await open(link(code));
    await waitStatus(page, /shared link/);
    await page.click(`${PG} [data-act="run"]`);
    await waitStatus(page, /^Ran/);
    const call = await page.locator(`${PG} .pg-step .pg-call`).last().textContent();
    expect(call).toMatch(/^mmap\(NULL, 4096, "rw", MAP_PRIVATE\|MAP_ANONYMOUS, /);
    expect(call).not.toMatch(/, ,/);
    page.close();
  });
});

describe('the phone editor', () => {
  it('has line numbers, no soft wrap, and marks a syntax error at its spot', async () => {
    const page = await open(`${base}/regression/`, 390);
    await page.click(`${PG} [data-act="edit"]`);
    const ta = page.locator(`${PG} textarea`);
    await ta.waitFor();
    expect(await ta.getAttribute('wrap')).toBe('off');
    const n = (await ta.inputValue()).split('\n').length;
    expect((await page.locator(`${PG} .pg-gutter`).textContent())!.split('\n')).toHaveLength(n);
    // A long line scrolls sideways rather than wrapping.
    expect(await ta.evaluate((t) => t.scrollWidth > t.clientWidth)).toBe(true);
    await ta.evaluate((t: HTMLTextAreaElement) => { t.value = 'const p = 1;\nfoo(1 2);\n'; t.dispatchEvent(new Event('input', { bubbles: true })); });
    await page.click(`${PG} [data-act="run"]`);
    await waitStatus(page, /^The code does not compile/);
    expect(await status(page)).toBe('The code does not compile (line 2, column 7): Unexpected "2": expected ","');
    expect(await page.locator(`${PG} .pg-editor-error`).textContent()).toBe('Line 2:7: Unexpected "2": expected ","');
    expect((await page.locator(`${PG} .pg-gutter`).textContent())!.split('\n')[1]).toBe('▶2');
    expect(await ta.evaluate((t: HTMLTextAreaElement) => [t.selectionStart, t.selectionEnd])).toEqual([19, 20]);
    // Reset says what it did.
    await page.click(`${PG} [data-act="reset"]`);
    await waitStatus(page, /^Original scenario restored/);
    await page.close();
  });
});
