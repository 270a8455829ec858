// <mg-toc>: opens itself where it is a sticky column (>= 1100 px) and marks, with
// aria-current="true", the link of the section at the top of the screen.
const WIDE = '(min-width: 1100px)';

class MgToc extends HTMLElement {
  private observer?: IntersectionObserver;

  connectedCallback() {
    const box = this.querySelector('details');
    const links = [...this.querySelectorAll<HTMLAnchorElement>('a[href^="#"]')];
    if (!box || !links.length) return;
    const wide = matchMedia(WIDE);
    const fit = () => { box.open = wide.matches; };
    fit();
    wide.addEventListener('change', fit);
    // On a phone, choosing a section closes the list so the section is not hidden under it.
    box.addEventListener('click', (e) => { if (!wide.matches && (e.target as Element).closest('a')) box.open = false; });

    const byId = new Map(links.map((a) => [decodeURIComponent(a.hash.slice(1)), a]));
    const heads = [...byId.keys()].map((id) => document.getElementById(id)).filter((h): h is HTMLElement => !!h);
    const visible = new Set<Element>();
    const now = this.querySelector('.toc-current');
    const mark = () => {
      // The current section: the first heading in the top half of the screen, else the last one above it.
      let cur = heads.find((h) => visible.has(h));
      if (!cur) cur = [...heads].reverse().find((h) => h.getBoundingClientRect().top < 80);
      for (const a of links) a.removeAttribute('aria-current');
      const a = cur && byId.get(cur.id);
      if (a) a.setAttribute('aria-current', 'true');
      if (now) now.textContent = a ? a.textContent : '';
    };
    this.observer = new IntersectionObserver((entries) => {
      for (const e of entries) (e.isIntersecting ? visible.add(e.target) : visible.delete(e.target));
      mark();
    }, { rootMargin: '-64px 0px -55% 0px' });
    for (const h of heads) this.observer.observe(h);
  }

  disconnectedCallback() { this.observer?.disconnect(); }
}
customElements.define('mg-toc', MgToc);
