/**
 * Where the signed-in key lives: `sessionStorage` by default, so it is gone when the tab closes;
 * `localStorage` only when the user asks to be remembered on this device.
 */
const storageKey = 'sps.apiKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(storageKey) ?? localStorage.getItem(storageKey);
}

export function storeKey(apiKey: string, remember: boolean): void {
  forgetKey();
  (remember ? localStorage : sessionStorage).setItem(storageKey, apiKey);
}

export function forgetKey(): void {
  sessionStorage.removeItem(storageKey);
  localStorage.removeItem(storageKey);
}
