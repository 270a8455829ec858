// Loads Monaco (monaco-entry.ts). In `astro build`, src/site/vite-monaco-slim.mjs replaces this
// module: Monaco is then a file esbuild bundled, imported by URL, which Rollup never parses.
export const loadMonaco = (): Promise<typeof import('./monaco-entry')> => import('./monaco-entry');
