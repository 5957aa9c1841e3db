import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchemaPattern, schemaPatternEngine, UnsupportedPatternError } from './schema-pattern.ts';

describe('schema patterns on the linear-time engine', () => {
  it('answers the exponential pattern ^(a|a)+$ on 32 a’s and a b, and on 5,000', () => {
    const pattern = compileSchemaPattern('^(a|a)+$');
    expect(pattern.test(`${'a'.repeat(32)}b`)).toBe(false);
    expect(pattern.test(`${'a'.repeat(5000)}b`)).toBe(false);
    expect(pattern.test('a'.repeat(5000))).toBe(true);
  });

  it.each([
    ['(a)\\1', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
    ['a(?=b)', /lookahead and lookbehind/],
    ['a(?!b)', /lookahead and lookbehind/],
    ['(?<=a)b', /lookahead and lookbehind/],
    ['(?<!a)b', /lookahead and lookbehind/],
    ['x{0,5000}', /linear-time pattern engine cannot run it: invalid repeat count/],
  ])('refuses %s and says why', (source, reason) => {
    expect(() => compileSchemaPattern(source)).toThrow(UnsupportedPatternError);
    expect(() => compileSchemaPattern(source)).toThrow(reason);
  });

  it('reads a character class as characters, not as a lookahead', () => {
    expect(compileSchemaPattern('^[(?=]+$').test('(?=')).toBe(true);
    expect(compileSchemaPattern(String.raw`^\\[(?=]$`).test('\\(')).toBe(true);
  });

  it('accepts the ECMAScript forms JSON Schema patterns use', () => {
    expect(compileSchemaPattern('^\\p{L}+$').test('Grüße')).toBe(true);
    expect(compileSchemaPattern('^\\p{Script=Greek}+$').test('αβγ')).toBe(true);
    expect(compileSchemaPattern('^\\p{Script=Greek}+$').test('abc')).toBe(false);
    expect(compileSchemaPattern('^\\p{Letter}+$').test('Grüße')).toBe(true);
    expect(compileSchemaPattern('^\\p{Letter}+$').test('123')).toBe(false);
    expect(compileSchemaPattern('^\\P{General_Category=Decimal_Number}$').test('x')).toBe(true);
    expect(compileSchemaPattern('^\\u00e9$').test('é')).toBe(true);
    expect(compileSchemaPattern('^.$').test('😀')).toBe(true);
    expect(compileSchemaPattern('^.$').test('\r')).toBe(false);
    expect(compileSchemaPattern('^[.]$').test('.')).toBe(true);
    expect(compileSchemaPattern('^\\s$').test('\u00a0')).toBe(true);
    expect(compileSchemaPattern('^[a\\s]+$').test('a\u3000a')).toBe(true);
    expect(compileSchemaPattern('^\\S+$').test('a\u2003')).toBe(false);
    expect(compileSchemaPattern('^\\.$').test('x')).toBe(false);
    expect(compileSchemaPattern('^(?<year>\\d{4})-\\d{2}$').test('2026-12')).toBe(true);
    expect(compileSchemaPattern('^[A-Z]{3}$').test('EUR')).toBe(true);
  });

  it('does not match a text longer than the input bound', () => {
    const pattern = compileSchemaPattern('^a+$', 10);
    expect(pattern.test('a'.repeat(10))).toBe(true);
    expect(pattern.test('a'.repeat(11))).toBe(false);
  });

  it('agrees with ECMAScript on simple patterns it accepts', () => {
    const atoms = ['a', 'b', '.', '\\d', '\\s', '\\S', '[ab\\s]', '(a|b)', '(?:ab)', 'x'];
    const quantifiers = ['', '*', '+', '?', '{2}', '{1,3}'];
    const source = fc
      .array(fc.tuple(fc.constantFrom(...atoms), fc.constantFrom(...quantifiers)), { maxLength: 5 })
      .map((parts) => parts.map(([atom, quantifier]) => atom + quantifier).join(''));
    const anchored = fc.tuple(fc.boolean(), source, fc.boolean()).map(([start, body, end]) => {
      return `${start ? '^' : ''}${body}${end ? '$' : ''}`;
    });
    fc.assert(
      fc.property(anchored, fc.stringMatching(/^[ab1x. \r\n\u2028\u00a0]{0,8}$/), (pattern, text) => {
        expect(compileSchemaPattern(pattern).test(text)).toBe(new RegExp(pattern, 'u').test(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('is an Ajv regExp engine: named, and each pattern printable as its source', () => {
    const engine = schemaPatternEngine(100);
    expect(engine.code).toBeTypeOf('string');
    expect(String(engine('^a$', 'u'))).toBe('/^a$/u');
    expect(engine('^a$', 'u').test('a')).toBe(true);
  });
});
