// Search results from Pagefind's JS API (/pagefind/pagefind.js, generated after the build).
// Each page links to its best-matching section (Pagefind's sub-results, which carry the heading's
// #anchor), with up to two more sections below it; every link carries ?highlight=<terms>, which
// search-highlight.ts turns into marks on the page it opens.
export const HIGHLIGHT_PARAM = 'highlight';

interface Location { weight: number; balanced_score: number; location: number }
export interface SubResult { title: string; url: string; excerpt: string; locations: number[]; weighted_locations?: Location[] }
interface ResultData { url: string; excerpt: string; meta: { title?: string }; sub_results?: SubResult[] }
interface PagefindResult { data(): Promise<ResultData> }
interface Pagefind {
  search(q: string): Promise<{ results: PagefindResult[] }>;
  options?(o: Record<string, unknown>): Promise<void>;
  init?(): Promise<void>;
}

/** The sections to show for one page, best first: ranked by the weight of their matches. */
export function bestSections(subs: SubResult[], max = 3): SubResult[] {
  const score = (s: SubResult) => (s.weighted_locations?.length
    ? s.weighted_locations.reduce((n, l) => n + l.balanced_score, 0) : s.locations.length);
  return [...subs].sort((a, b) => score(b) - score(a)).slice(0, max);
}

let pagefind: Promise<Pagefind | null> | null = null;
function loadPagefind(): Promise<Pagefind | null> {
  const url = '/pagefind/pagefind.js';
  pagefind ??= import(/* @vite-ignore */ url).then(async (m: Pagefind) => {
    await m.options?.({ highlightParam: HIGHLIGHT_PARAM, excerptLength: 24 });
    await m.init?.();
    return m;
  }).catch(() => null);
  return pagefind;
}

/** Pagefind's excerpt is escaped text with <mark> around matches: rebuilt here as text nodes and <mark>s. */
function excerptNodes(excerpt: string): Node[] {
  const out: Node[] = [];
  const tpl = document.createElement('template');
  tpl.innerHTML = excerpt; // parsed inert (a template's content runs nothing); only its text and <mark>s are kept
  for (const n of tpl.content.childNodes) {
    if (n.nodeName === 'MARK') { const m = document.createElement('mark'); m.textContent = n.textContent; out.push(m); }
    else out.push(document.createTextNode(n.textContent ?? ''));
  }
  return out;
}

function resultItem(d: ResultData): HTMLLIElement {
  const li = document.createElement('li');
  const page = d.meta.title ?? d.url;
  const subs = bestSections(d.sub_results ?? []);
  const best = subs[0];
  const a = document.createElement('a');
  a.className = 'search-page';
  a.href = best?.url ?? d.url;
  a.textContent = best && best.title !== page ? `${page} › ${best.title}` : page;
  const p = document.createElement('p');
  p.append(...excerptNodes(best?.excerpt ?? d.excerpt));
  li.append(a, p);
  const more = subs.slice(1).filter((s) => s.title !== page || s.url !== d.url);
  if (more.length) {
    const ul = document.createElement('ul');
    ul.className = 'search-subs';
    for (const s of more) {
      const sli = document.createElement('li');
      const sa = document.createElement('a');
      sa.href = s.url;
      sa.textContent = s.title;
      sli.append(sa);
      ul.append(sli);
    }
    li.append(ul);
  }
  return li;
}

export function attach(root: HTMLElement, input: HTMLInputElement): void {
  const box = root.querySelector<HTMLElement>('.search-results')!;
  const list = root.querySelector<HTMLOListElement>('.search-list')!;
  const status = root.querySelector<HTMLElement>('.search-status')!;
  let seq = 0;
  const run = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) { box.hidden = true; list.replaceChildren(); return; }
    box.hidden = false;
    status.textContent = 'Searching…';
    const pf = await loadPagefind();
    if (mine !== seq) return;
    if (!pf) { status.textContent = 'Search is not available (the index was not built).'; return; }
    const { results } = await pf.search(q);
    const data = await Promise.all(results.slice(0, 8).map((r) => r.data()));
    if (mine !== seq) return;
    status.textContent = data.length ? `${results.length} result${results.length === 1 ? '' : 's'}` : `No results for “${q}”.`;
    list.replaceChildren(...data.map(resultItem));
  };
  input.addEventListener('input', run);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { input.value = ''; run(); }
    if (e.key === 'ArrowDown') { list.querySelector('a')?.focus(); e.preventDefault(); }
  });
  list.addEventListener('keydown', (e) => {
    const links = [...list.querySelectorAll('a')];
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (e.key === 'ArrowDown' && i < links.length - 1) { links[i + 1].focus(); e.preventDefault(); }
    if (e.key === 'ArrowUp') { (i > 0 ? links[i - 1] : input).focus(); e.preventDefault(); }
    if (e.key === 'Escape') { input.focus(); box.hidden = true; }
  });
  document.addEventListener('click', (e) => { if (!root.contains(e.target as Node)) box.hidden = true; });
  loadPagefind();
  // A reader who typed while this module was loading (it loads on first focus) gets results too.
  if (input.value.trim()) void run();
}
