/**
 * Pieces of JSON text for serializers written by hand. `JSON.stringify` of one short string or number
 * costs about 900 instructions in V8 (a call into C++ and a string builder), several times what the
 * text itself takes; a hand-written answer or cache entry writes a dozen of them per request.
 */

/** A number as `JSON.stringify` writes it: finite ones as `String` does, the others as `null`. */
export function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** Longer strings go to `JSON.stringify`, whose copy loop beats this one. */
const shortString = 64;

/**
 * A string as `JSON.stringify` writes it. Short strings with nothing to escape (no quote, backslash,
 * control character or surrogate) are quoted as they are; anything else goes to `JSON.stringify`.
 */
export function jsonString(value: string): string {
  if (value.length > shortString) return JSON.stringify(value);
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff))
      return JSON.stringify(value);
  }
  return `"${value}"`;
}
