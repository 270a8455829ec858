// Theme switch: explicit choice is saved; otherwise the OS preference applies.
const KEY = 'mergeable-theme';

export function currentTheme(): 'light' | 'dark' {
  const t = document.documentElement.dataset.theme;
  if (t === 'light' || t === 'dark') return t;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function initThemeToggle(): void {
  for (const btn of document.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]')) {
    const sync = () => btn.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
    sync();
    btn.addEventListener('click', () => {
      const next = currentTheme() === 'dark' ? 'light' : 'dark';
      document.documentElement.dataset.theme = next;
      try { localStorage.setItem(KEY, next); } catch { /* private mode: not persisted */ }
      sync();
      document.dispatchEvent(new CustomEvent('mergeable:theme', { detail: next }));
    });
  }
}
