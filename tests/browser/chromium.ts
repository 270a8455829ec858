// Debian's Chromium driven by playwright-core (flags known to work on these machines).
import { chromium, type BrowserContext } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Launched { ctx: BrowserContext; close(): Promise<void> }

export async function launch(opts: Parameters<typeof chromium.launchPersistentContext>[1] = {}): Promise<Launched> {
  const dir = mkdtempSync(join(tmpdir(), 'mergeable-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 }, ...opts,
  });
  return { ctx, close: async () => { await ctx.close(); rmSync(dir, { recursive: true, force: true }); } };
}
