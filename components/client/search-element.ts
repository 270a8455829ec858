// <mg-search>: loads the search UI module on first focus of the field.
class MgSearch extends HTMLElement {
  connectedCallback() {
    const input = this.querySelector('input');
    if (!input) return;
    const load = () => import('./search-ui').then((m) => m.attach(this, input));
    input.addEventListener('focus', load, { once: true });
  }
}
customElements.define('mg-search', MgSearch);
