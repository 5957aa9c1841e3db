/** A number as `JSON.stringify` writes it: finite ones as `String` does, the others as `null`. */
export function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
