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
    /** Terms this chapter introduces: shown under the title, weighted in search, linked to the glossary. */
    introduces: z.array(z.string()).optional(),
  }),
});

export const collections = { chapters };
