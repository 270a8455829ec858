// Search results from Pagefind's JS API (/pagefind/pagefind.js, generated after the build).
interface PagefindResult { data(): Promise<{ url: string; excerpt: string; meta: { title?: string } }> }
interface Pagefind { search(q: string): Promise<{ results: PagefindResult[] }>; init?(): Promise<void> }

let pagefind: Promise<Pagefind | null> | null = null;
function loadPagefind(): Promise<Pagefind | null> {
  const url = '/pagefind/pagefind.js';
  pagefind ??= import(/* @vite-ignore */ url).then(async (m: Pagefind) => { await m.init?.(); return m; }).catch(() => null);
  return pagefind;
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
    list.replaceChildren(...data.map((d) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = d.url;
      a.textContent = d.meta.title ?? d.url;
      const p = document.createElement('p');
      p.innerHTML = d.excerpt; // Pagefind escapes the text and only adds <mark>.
      li.append(a, p);
      return li;
    }));
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
