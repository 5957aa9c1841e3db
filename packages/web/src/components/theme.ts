/** Light or dark: the system's choice until the user picks one, which is remembered. */
export type Theme = 'light' | 'dark';
const storageKey = 'sps.theme';

export function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(storageKey, theme);
}

export function applyStoredTheme(): void {
  const stored = localStorage.getItem(storageKey);
  document.documentElement.dataset.theme = stored === 'light' || stored === 'dark' ? stored : currentTheme();
}
