import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePrompt } from './normalize-prompt.ts';

describe('normalizePrompt', () => {
  it('composes to NFC so visually identical prompts are equal', () => {
    const decomposed = 'Re\u0301sume\u0301 cet article';
    expect(normalizePrompt(decomposed)).toBe('Résumé cet article');
    expect(normalizePrompt(decomposed)).toBe(normalizePrompt('Résumé cet article'));
  });

  it('trims and collapses horizontal white space of every kind to one space', () => {
    expect(normalizePrompt('  Translate\t\tHello\u00a0\u00a0World   to\u3000French  ')).toBe(
      'Translate Hello World to French',
    );
  });

  it('keeps line structure and indentation, but at most one blank line', () => {
    const prompt = 'Fix this code:\r\n\r\n\r\n\r\ndef f(x):\r\n    return  x\t\r\n';
    expect(normalizePrompt(prompt)).toBe('Fix this code:\n\ndef f(x):\n    return x');
  });

  it('maps Unicode line separators to newlines and drops invisible characters', () => {
    expect(normalizePrompt('a\u2028b\u2029c')).toBe('a\nb\nc');
    expect(normalizePrompt('\uFEFFhel\u200Blo\u0007 world')).toBe('hello world');
  });

  it('keeps zero-width joiners, which are part of emoji and scripts', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    expect(normalizePrompt(` ${family} `)).toBe(family);
  });

  it('turns blank input into the empty string and is idempotent', () => {
    expect(normalizePrompt(' \n\t \u00a0 ')).toBe('');
    const once = normalizePrompt('  a  b\n\n\n\n  c\t ');
    expect(normalizePrompt(once)).toBe(once);
  });

  it('is idempotent on any text, so the cache key sees one form per prompt', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (prompt) => {
        const once = normalizePrompt(prompt);
        expect(normalizePrompt(once)).toBe(once);
      }),
    );
  });
});
