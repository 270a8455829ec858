// The site's Content-Security-Policy, as a <meta http-equiv> in every built page (a static host
// needs no header for it; docs/sandbox.md lists the headers a host may add). Inline scripts are
// allowed by their hashes only, so injected markup could never run script even if it got in.

const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)(?:\s[^>]*)?>([\s\S]*?)<\/script>/g;

/** The policy of a page whose inline scripts have these hashes. */
export function pageCsp(hashes) {
  return [
    "default-src 'self'",
    // Pagefind's search index is WebAssembly.
    `script-src 'self' 'wasm-unsafe-eval'${hashes.map((h) => ` ${h}`).join('')}`,
    // Monaco and Astro set inline styles; styles cannot run script.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:", "font-src 'self' data:",
    "connect-src 'self'", "worker-src 'self'", "frame-src 'self'",
    "object-src 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
}

/** `html` with the page CSP inserted first thing after <meta charset>. */
export function withCsp(html, sha256) {
  const hashes = [...html.matchAll(INLINE_SCRIPT)].filter((m) => !/type="(?:application\/(?:ld\+)?json|text\/plain)"/.test(m[0])).map((m) => sha256(m[1]));
  const meta = `<meta http-equiv="Content-Security-Policy" content="${pageCsp([...new Set(hashes)])}">`;
  const at = html.search(/<meta charset="utf-8"\s*\/?>/i);
  if (at < 0) throw new Error('csp: a built page has no <meta charset="utf-8">');
  const end = html.indexOf('>', at) + 1;
  return html.slice(0, end) + meta + html.slice(end);
}
