// <mg-exercise>: shows "Solved" from localStorage at once; the controller (worker, editor) is
// imported on the reader's first click, like the playground's.
import { isSolved, savedCode } from './exercise-progress';

let controller: Promise<typeof import('./exercise-controller')> | null = null;
const load = () => (controller ??= import('./exercise-controller'));

class MgExercise extends HTMLElement {
  private ctl: Promise<{ handle(ev: Event): void }> | null = null;
  connectedCallback() {
    const id = this.dataset.id!;
    if (isSolved(id)) this.markSolved();
    this.addEventListener('click', (ev) => {
      const b = (ev.target as HTMLElement).closest('button[data-act]');
      if (!b) return;
      this.ctl ??= load().then((m) => m.attach(this));
      void this.ctl.then((c) => c.handle(ev));
    });
    if (savedCode(id) !== null) this.ctl ??= load().then((m) => m.attach(this));
  }
  markSolved() {
    this.dataset.solved = 'true';
    const badge = this.querySelector<HTMLElement>('[data-role="badge"]');
    if (badge) badge.hidden = false;
  }
}
customElements.define('mg-exercise', MgExercise);
