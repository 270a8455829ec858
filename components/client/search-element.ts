// <mg-search>: loads the search UI module on first focus of the field.
class MgSearch extends HTMLElement {
  connectedCallback() {
    const input = this.querySelector('input');
    if (!input) return;
    // Enter in the field searches in place (results are live); the form never submits.
    this.querySelector('form')?.addEventListener('submit', (e) => e.preventDefault());
    const load = () => import('./search-ui').then((m) => m.attach(this, input));
    input.addEventListener('focus', load, { once: true });
  }
}
customElements.define('mg-search', MgSearch);
