import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNumber, jsonString } from './json-text.ts';

describe('JSON text pieces', () => {
  it('writes any string as JSON.stringify does', () => {
    const cases = [
      '',
      'plain',
      'quote " in',
      'back \\ slash',
      'tab\there',
      '\u0000\u001f\u007f',
      'é ü 日本',
      '\u2028\u2029',
    ];
    // Lone and paired surrogates: JSON.stringify escapes only the lone ones.
    cases.push('\ud83d\ude00', 'lone \ud83d', 'lone \ude00 low', 'x'.repeat(64), `${'x'.repeat(70)}"`);
    for (const value of cases) expect(jsonString(value)).toBe(JSON.stringify(value));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (value) => {
        expect(jsonString(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes any number as JSON.stringify does', () => {
    for (const value of [0, -0, 1.5, -2, 1e21, 1e-7, Number.MAX_VALUE, Number.NaN, Infinity, -Infinity])
      expect(jsonNumber(value)).toBe(JSON.stringify(value));
    fc.assert(
      fc.property(fc.double(), (value) => {
        expect(jsonNumber(value)).toBe(JSON.stringify(value));
      }),
    );
  });
});
