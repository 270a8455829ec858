// Vite plugin for `astro build`: Monaco (components/playground/monaco-entry.ts) and its workers are
// bundled by esbuild into files of their own, in ~3 s of CPU, where Rollup spent ~50 s parsing and
// tree-shaking 4 MB of Monaco and 7 MB of TypeScript worker. monaco-load.ts then imports Monaco by URL.
// Two cuts on the way:
// - monaco-editor/esm/vs/internal/common/workers.js imports every editor contribution (the list of
//   editor.main.js) for its side effects; tsMode.js reaches it, so the reader downloaded ~110 KB gzip
//   of contributions monaco-entry.ts leaves out. Those bare imports are dropped.
// - The TypeScript language's fallback `new Worker(new URL('ts.worker.js', import.meta.url))` is never
//   called (MonacoEnvironment.getWorker in editor-monaco.ts wins) but made the 7 MB worker twice.
// In `astro dev` nothing changes: Vite serves Monaco as before (vite-monaco-css.mjs for its CSS).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { cssModule } from './vite-monaco-css.mjs';

const ENTRY = fileURLToPath(new URL('../../components/playground/monaco-entry.ts', import.meta.url));
const LOADER = fileURLToPath(new URL('../../components/playground/monaco-load.ts', import.meta.url));
const WORKER = '\0monaco-worker:';
const require = createRequire(import.meta.url);
const WORKERS_JS = /\/monaco-editor\/esm\/vs\/internal\/common\/workers\.js$/;
const TS_WORKER_MANAGER = /\/monaco-editor\/esm\/vs\/languages\/features\/typescript\/workerManager\.js$/;
const TS_FALLBACK = `new Worker(new URL('ts.worker.js', import.meta.url), { type: "module" })`;

/** The two source edits above, as an esbuild plugin. */
const slimSources = {
  name: 'monaco-slim-sources',
  setup(b) {
    b.onLoad({ filter: WORKERS_JS }, (a) => ({ contents: readFileSync(a.path, 'utf8').replace(/^import '[^']+';$/gm, ''), loader: 'js' }));
    b.onLoad({ filter: TS_WORKER_MANAGER }, (a) => {
      const code = readFileSync(a.path, 'utf8');
      if (!code.includes(TS_FALLBACK)) throw new Error(`${a.path}: the TypeScript worker fallback changed; update ${import.meta.url}`);
      return { contents: code.replace(TS_FALLBACK, `(() => { throw new Error('MonacoEnvironment.getWorker makes the TypeScript worker'); })()`), loader: 'js' };
    });
  },
};

/**
 * Monaco's `import './x.css'` as JS adding a <style> (as vite-monaco-css.mjs does). emit(file) puts a
 * font next to the bundle and names it: the CSS gets its URL from the bundle's own import.meta.url.
 */
const cssAsJs = (emit) => ({
  name: 'monaco-css-js',
  setup(b) {
    b.onResolve({ filter: /\.css$/ }, (a) => ({
      path: a.path.startsWith('monaco-editor/')
        ? resolve(process.cwd(), 'node_modules/monaco-editor/esm/vs', a.path.slice('monaco-editor/'.length))
        : resolve(a.resolveDir, a.path),
      namespace: 'monaco-css',
    }));
    b.onLoad({ filter: /.*/, namespace: 'monaco-css' }, (a) => ({
      contents: cssModule(a.path, (file) => `new URL(${JSON.stringify(emit(file))}, import.meta.url).href`), loader: 'js', resolveDir: dirname(a.path),
    }));
  },
});

const bundle = (entry, plugins) => build({
  entryPoints: [entry], bundle: true, format: 'esm', minify: true, write: false, logLevel: 'error', plugins,
}).then((r) => r.outputFiles[0].text);

export function monacoSlim() {
  let isBuild = false;
  let assetsDir = '_astro';
  return {
    name: 'mergeable:monaco-slim',
    enforce: 'pre',
    configResolved(c) { isBuild = c.command === 'build'; assetsDir = c.build.assetsDir; },
    resolveId(source) {
      // A plain path: through this.resolve() the build also loaded and parsed the 9 MB worker source.
      if (!isBuild || !source.endsWith('?worker') || !source.startsWith('monaco-editor/')) return null;
      return WORKER + require.resolve(source.slice(0, -'?worker'.length));
    },
    async load(id) {
      if (!isBuild) return null;
      /** A file in the assets directory, named by its content, as the bundle refers to it. */
      const emitNamed = (name, source) => {
        const file = `${basename(name, extname(name))}.${createHash('sha256').update(source).digest('hex').slice(0, 8)}${extname(name)}`;
        return { file, ref: this.emitFile({ type: 'asset', fileName: `${assetsDir}/${file}`, source }) };
      };
      if (id === LOADER) {
        const fonts = new Map();
        const emit = (file) => {
          if (!fonts.has(file)) fonts.set(file, emitNamed(basename(file), readFileSync(file)).file);
          return fonts.get(file);
        };
        const code = await bundle(ENTRY, [slimSources, cssAsJs(emit)]);
        const { ref } = emitNamed('monaco-entry.js', code);
        return `export const loadMonaco = () => import(/* @vite-ignore */ import.meta.ROLLUP_FILE_URL_${ref});`;
      }
      if (!id.startsWith(WORKER)) return null;
      const entry = id.slice(WORKER.length);
      const ref = this.emitFile({ type: 'asset', name: basename(entry), source: await bundle(entry, [slimSources]) });
      return `export default function MonacoWorker() { return new Worker(import.meta.ROLLUP_FILE_URL_${ref}, { type: 'module' }); }`;
    },
  };
}
