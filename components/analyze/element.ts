// <mg-analyze>: the only analyser code loaded with the page. The controller, and through it the
// Worker with the analyser and the engine, is imported on the reader's first use.
type Controller = { handle(ev: Event): void };
/** A paste larger than this is not put into the text box: a 73 MB textarea freezes the page for seconds. */
const PASTE_LIMIT = 1 << 20;
let mod: Promise<typeof import('./controller')> | null = null;
const load = () => (mod ??= import('./controller'));

class MgAnalyze extends HTMLElement {
  private ctl: Promise<Controller> | null = null;
  connectedCallback() {
    const start = (ev: Event) => {
      if (ev.type === 'submit' || ev.type === 'drop') ev.preventDefault();
      this.ctl ??= load().then((m) => m.attach(this));
      this.ctl.then((c) => c.handle(ev));
    };
    this.addEventListener('submit', start);
    this.addEventListener('click', (ev) => { if ((ev.target as HTMLElement).closest('button[type="button"], svg.an-overview')) start(ev); });
    this.addEventListener('change', (ev) => { if ((ev.target as HTMLElement).matches('input[type="file"], input[type="checkbox"], select[data-role="winsize"]')) start(ev); });
    this.addEventListener('dragover', (ev) => ev.preventDefault());
    this.addEventListener('drop', start);
    this.addEventListener('keydown', (ev) => { if ((ev.target as HTMLElement).matches('textarea') && ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) start(ev); });
    // Intent to paste: fetch the controller (not the Worker) ahead of the click.
    const smaps = this.querySelector<HTMLTextAreaElement>('textarea[data-role="smaps"]');
    smaps?.addEventListener('focus', () => { void load(); }, { once: true });
    // The clipboard can only be read during the event: a big paste is taken here, kept out of the
    // text box, and handed to the controller, which sends it to the Worker.
    smaps?.addEventListener('paste', (ev) => {
      const text = ev.clipboardData?.getData('text/plain') ?? '';
      if (text.length <= PASTE_LIMIT) return;
      ev.preventDefault();
      start(new CustomEvent('mg-big-paste', { detail: { text, limit: PASTE_LIMIT } }));
    });
  }
}
customElements.define('mg-analyze', MgAnalyze);
export {};
