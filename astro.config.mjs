// Astro config for the Mergeable site. Monaco is reached only through a dynamic import on a
// reader's click (see components/playground/); its CSS is inlined into that lazy chunk.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { fileURLToPath } from 'node:url';
import { rehypeHeadingIds } from '@astrojs/markdown-remark';
import { monacoCssInline } from './src/site/vite-monaco-css.mjs';
import { monacoSlim } from './src/site/vite-monaco-slim.mjs';
import { rehypeHeadingLinks } from './src/site/rehype-heading-links.mjs';
import { rehypeScrollTables } from './src/site/rehype-scroll-tables.mjs';
import { rehypeGlossary } from './src/site/rehype-glossary.mjs';
import { sandbox } from './src/site/sandbox/integration.mjs';
import { tokenClasses } from './src/site/shiki-classes.mjs';

const engine = fileURLToPath(new URL('./src/engine/index.ts', import.meta.url));

export default defineConfig({
  site: 'https://mergeable.example',
  trailingSlash: 'always',
  integrations: [mdx(), sandbox()],
  markdown: {
    rehypePlugins: [rehypeHeadingIds, rehypeHeadingLinks, rehypeScrollTables, rehypeGlossary],
    shikiConfig: { themes: { light: 'github-light-default', dark: 'github-dark-default' }, defaultColor: false, transformers: [tokenClasses] },
  },
  prefetch: false,
  vite: {
    resolve: { alias: { mergeable: engine } },
    plugins: [monacoCssInline(), monacoSlim()],
    worker: { format: 'es' },
    optimizeDeps: { include: ['monaco-editor', 'shiki', '@shikijs/monaco', 'sucrase'] },
    build: { chunkSizeWarningLimit: 8000 },
  },
});
