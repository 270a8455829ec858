// A page opened from a search result (?highlight=term): Pagefind's highlighter marks the terms in
// the page body (not in [data-pagefind-ignore] parts). Loaded only when the parameter is there.
const PARAM = 'highlight';

if (new URLSearchParams(location.search).has(PARAM)) {
  const url = '/pagefind/pagefind-highlight.js';
  import(/* @vite-ignore */ url).then((m: { default: new (o: object) => unknown }) => {
    new m.default({ highlightParam: PARAM, addStyles: false, markOptions: { className: 'search-hit' } });
  }).catch(() => { /* no index built: nothing to mark */ });
}
