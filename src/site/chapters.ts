// Chapter ordering and navigation (sidebar, prev/next) from the content collection entries.
export interface ChapterLink {
  slug: string;
  title: string;
  href: string;
  order: number;
}

export interface ChapterEntryLike {
  id: string;
  data: { title: string; order: number };
}

/** content/regression/index.mdx has id "regression/index" (or "regression"): the page is /regression/. */
export function chapterSlug(id: string): string {
  return id.replace(/\/index(\.mdx)?$/, '').replace(/\.mdx$/, '');
}

export function chapterLinks(entries: ChapterEntryLike[], base = '/'): ChapterLink[] {
  return entries
    .map((e) => {
      const slug = chapterSlug(e.id);
      return { slug, title: e.data.title, order: e.data.order, href: `${base}${slug}/` };
    })
    .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
}

export function neighbours(links: ChapterLink[], slug: string): { prev?: ChapterLink; next?: ChapterLink } {
  const i = links.findIndex((l) => l.slug === slug);
  if (i < 0) return {};
  return { prev: links[i - 1], next: links[i + 1] };
}
