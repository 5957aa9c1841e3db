/** Display helpers shared by the pages. */
export const usd = (value: number) =>
  value < 0.01 && value > 0 ? `$${value.toFixed(6)}` : `$${value.toFixed(value >= 100 ? 0 : 4)}`;
export const ms = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
export const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/** Parses JSON typed by a person: the value, or the parser's message. */
export function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
