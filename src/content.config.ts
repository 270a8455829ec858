// Chapters are MDX files under content/<chapter>/index.mdx, next to their scenario .ts files.
import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

const chapters = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content' }),
  schema: z.object({
    title: z.string(),
    description: z.string(),
    /** Position in the sidebar and prev/next order. */
    order: z.number(),
  }),
});

export const collections = { chapters };
