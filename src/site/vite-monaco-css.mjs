// Vite plugin: Monaco's `import "./x.css"` become JS that injects a <style> when the lazy editor
// chunk runs. Without it Astro hoists ~175 KB of Monaco CSS into every page's <head>.
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { dirname, resolve } from 'node:path';

const PREFIX = '\0monaco-css:';

export function monacoCssInline() {
  return {
    name: 'mergeable:monaco-css-inline',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith('.css') || !importer) return null;
      if (source.startsWith('monaco-editor/')) {
        return PREFIX + resolve(process.cwd(), 'node_modules/monaco-editor/esm/vs', source.slice('monaco-editor/'.length)) + '.js';
      }
      const from = importer.startsWith(PREFIX) ? importer.slice(PREFIX.length, -3) : importer;
      if (!from.includes('/monaco-editor/')) return null;
      const file = resolve(dirname(from.split('?')[0]), source);
      return PREFIX + file + '.js';
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const imports = [];
      return cssModule(id.slice(PREFIX.length, -3), (file) => {
        const name = `__u${imports.length}`;
        imports.push(`import ${name} from ${JSON.stringify(file + '?url')};`);
        return name;
      }, imports);
    },
  };
}

/**
 * A CSS file, minified (each of Monaco's ~80 starts with a licence header), as a JS module that adds
 * it in a <style> when it runs. urlOf(file) gives the JS expression for the final URL of a url(./x)
 * the CSS names; `imports` are lines put first.
 */
export function cssModule(file, urlOf, imports = []) {
  const min = transformSync(readFileSync(file, 'utf8'), { loader: 'css', minify: true, logLevel: 'silent' }).code;
  const css = min.replace(/url\((['"]?)(\.{1,2}\/[^'")]+)\1\)/g,
    (_m, _q, rel) => `url(\${${urlOf(resolve(dirname(file), rel.split(/[?#]/)[0]))}})`);
  const text = '`' + css.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{(?!(?:__u\d+|import\.meta\.ROLLUP_FILE_URL_\w+)\})/g, '\\${') + '`';
  return `${imports.join('\n')}
if (typeof document !== 'undefined') { const s = document.createElement('style'); s.dataset.monaco = ''; s.textContent = ${text}; document.head.appendChild(s); }
export default '';`;
}
