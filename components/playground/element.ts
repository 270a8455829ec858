// <mg-playground>: the only playground code loaded with the page. The controller (and with it the
// renderer, the worker and the editor) is imported on the reader's first interaction.
type Controller = { handle(ev: Event): void };
let controllerModule: Promise<typeof import('./controller')> | null = null;
const loadController = () => (controllerModule ??= import('./controller'));

/** An output taller than this many screens is folded to its first screen until the reader asks for it. */
const FOLD_SCREENS = 1.25;

class MgPlayground extends HTMLElement {
  private ctl: Promise<Controller> | null = null;
  private unfold: (() => void) | null = null;

  /** A long output shows its first screen (diagram, chart) and a button for the rest: chapters get shorter. */
  private fold() {
    const out = this.querySelector<HTMLElement>('[data-role="output"]');
    if (!out || out.scrollHeight < innerHeight * FOLD_SCREENS) return;
    this.dataset.folded = '';
    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'pg-unfold';
    more.setAttribute('aria-controls', out.id || (out.id = `${this.id || this.dataset.id}-out`.replace(/\//g, '-')));
    more.setAttribute('aria-expanded', 'false');
    more.textContent = 'Show the whole output';
    out.after(more);
    this.unfold = () => { delete this.dataset.folded; more.remove(); this.unfold = null; };
    // A static output is its first screen only (src/site/output-html.ts): its "Show all" renders the rest.
    more.addEventListener('click', () => { this.unfold?.(); out.querySelector<HTMLElement>('[data-act="show-all"]')?.click(); out.focus({ preventScroll: true }); });
  }

  /** Fill the version menus from data-versions, keeping each one's built choice selected. */
  private versionMenus() {
    const versions = (this.dataset.versions ?? '').split(' ').filter(Boolean);
    for (const sel of this.querySelectorAll<HTMLSelectElement>('select[data-role^="version"]')) {
      const cur = sel.value;
      sel.replaceChildren(...versions.map((v) => new Option(v, v, v === cur, v === cur)));
    }
  }

  connectedCallback() {
    this.versionMenus();
    this.fold();
    const start = (ev: Event) => {
      const t = ev.target as HTMLElement;
      if (ev.type === 'keydown' && !t.closest('[data-role="output"], .pg-stepper')) return;
      ev.preventDefault?.();
      // Working with the playground (stepping, Run, versions) shows its whole output.
      this.unfold?.();
      this.ctl ??= loadController().then((m) => m.attach(this));
      this.ctl.then((c) => c.handle(ev));
    };
    this.addEventListener('click', (ev) => {
      const t = ev.target as HTMLElement;
      // Buttons, and a click on a step of the list or the map_count chart (a link, or the folded
      // events of a step, inside it keep their own behaviour).
      if (t.closest('.pg-unfold')) return;
      if (t.closest('button') || (t.closest('[data-step]') && !t.closest('a, details'))) start(ev);
    });
    this.addEventListener('change', start);
    this.addEventListener('keydown', (ev) => { if (/^(Arrow(Left|Right)|Home|End)$/.test(ev.key)) start(ev); });
    // Prefetch the editor when the reader shows intent (hover or focus on Edit).
    const edit = this.querySelector('[data-act="edit"]');
    const prefetch = () => { loadController().then((m) => m.prefetchEditor()); };
    edit?.addEventListener('pointerenter', prefetch, { once: true });
    edit?.addEventListener('focus', prefetch, { once: true });
    if (location.hash.includes('run=' + encodeURIComponent(this.dataset.id ?? '')) || localStorage.getItem('mergeable:code:' + this.dataset.id) !== null) {
      this.ctl ??= loadController().then((m) => m.attach(this));
    }
  }
}
customElements.define('mg-playground', MgPlayground);
