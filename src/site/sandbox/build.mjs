// Builds /sandbox/: the frame that runs reader code (see docs/sandbox.md). The run worker is
// bundled into one classic script and carried in the page as base64 (the frame cannot fetch:
// its CSP allows no network at all); the frame's own script is inline and allowed by its hash.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const ENGINE = here('../../engine/index.ts');

async function bundle(entry) {
  const r = await build({
    entryPoints: [entry], bundle: true, format: 'iife', target: 'es2022', minify: true, write: false,
    alias: { mergeable: ENGINE }, legalComments: 'none', logLevel: 'silent',
  });
  return r.outputFiles[0].text;
}

export const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The frame's CSP: no network (default-src 'none'), eval for reader code, workers from blob: only. */
export const frameCsp = (bootHash) =>
  `default-src 'none'; script-src ${bootHash} 'unsafe-eval'; worker-src blob:; base-uri 'none'; form-action 'none'`;

/** The HTML of /sandbox/. */
export async function sandboxHtml() {
  const [worker, boot] = await Promise.all([bundle(here('../../../components/playground/sandbox-worker.ts')), bundle(here('./frame.ts'))]);
  const b64 = Buffer.from(worker, 'utf8').toString('base64');
  return '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${frameCsp(sha256(boot))}">` +
    '<meta name="robots" content="noindex"><title>Mergeable run sandbox</title></head><body>' +
    `<script type="text/plain" id="run-worker">${b64}</script><script>${boot}</script></body></html>`;
}
