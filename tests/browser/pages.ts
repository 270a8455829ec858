// The pages of the built site, from dist/ (every index.html plus 404.html), without /sandbox/:
// the run frame is not a page a reader opens (tests/browser/sandbox.test.ts covers it).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DIST } from './build-site';

export function builtPages(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) { if (n !== 'pagefind' && n !== '_astro' && !(d === DIST && n === 'sandbox')) walk(p); }
      else if (n.endsWith('.html')) out.push('/' + relative(DIST, p).split('\\').join('/').replace(/index\.html$/, ''));
    }
  };
  walk(DIST);
  return out.sort();
}
