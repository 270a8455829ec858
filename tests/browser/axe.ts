/** axe-core in a page: the accessibility scan every browser test uses. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Run axe on the page as it is now; one line per violation (rule, help, up to 4 targets). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over CDP, not as a <script> tag: the page CSP (rightly) refuses inline script.
  await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return res.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
}
