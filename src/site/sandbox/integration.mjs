// Astro integration: writes /sandbox/ (the frame reader code runs in) and the CSP of every page.
// In `astro dev` the frame is built on request; pages get no CSP there (Vite's client is inline).
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxHtml, sha256 } from './build.mjs';
import { withCsp } from '../csp.mjs';

async function* htmlFiles(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* htmlFiles(p);
    else if (e.name.endsWith('.html')) yield p;
  }
}

export function sandbox() {
  return {
    name: 'mergeable-sandbox',
    hooks: {
      'astro:server:setup': ({ server }) => {
        server.middlewares.use(async (req, res, next) => {
          if (req.url !== '/sandbox/' && req.url !== '/sandbox/index.html') return next();
          try {
            res.setHeader('Content-Type', 'text/html; charset=utf-8');
            res.end(await sandboxHtml());
          } catch (e) { next(e); }
        });
      },
      'astro:build:done': async ({ dir }) => {
        const out = fileURLToPath(dir);
        for await (const f of htmlFiles(out)) await writeFile(f, withCsp(await readFile(f, 'utf8'), sha256));
        await mkdir(join(out, 'sandbox'), { recursive: true });
        await writeFile(join(out, 'sandbox', 'index.html'), await sandboxHtml());
      },
    },
  };
}
