import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, schemaHash } from './canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('sorts keys by UTF-16 code unit, as RFC 8785 does', () => {
    // U+FB33 sorts before U+1F600 by code point but after it by UTF-16 code unit (0xD83D).
    expect(canonicalJson({ '\u{1F600}': 1, '\uFB33': 2, a: 3 })).toBe('{"a":3,"\u{1F600}":1,"\uFB33":2}');
  });

  it('follows JSON.stringify for undefined, non-finite numbers, toJSON and lone surrogates', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, Number.NaN], c: new Date(0) })).toBe(
      '{"b":[null,null],"c":"1970-01-01T00:00:00.000Z"}',
    );
    expect(canonicalJson({ prompt: 'x\uD800' })).toBe(JSON.stringify({ prompt: 'x\uD800' }));
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('refuses a circular value instead of hashing a placeholder', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => canonicalJson(circular)).toThrow();
  });

  it('parses back to the same value as JSON.stringify', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('schemaHash', () => {
  it('is the same for schemas that differ only in key order', () => {
    const a = { type: 'object', properties: { x: { type: 'string' }, y: { type: 'number' } } };
    const b = { properties: { y: { type: 'number' }, x: { type: 'string' } }, type: 'object' };
    expect(schemaHash(a)).toBe(schemaHash(b));
    expect(schemaHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when any value differs', () => {
    expect(schemaHash({ type: 'string' })).not.toBe(schemaHash({ type: 'number' }));
    expect(schemaHash({ enum: [1, 2] })).not.toBe(schemaHash({ enum: [2, 1] }));
  });

  it('follows the schema as it is now, not as it was when first hashed', () => {
    const schema: Record<string, unknown> = { type: 'string' };
    const before = schemaHash(schema);
    schema.type = 'number';
    expect(schemaHash(schema)).not.toBe(before);
    expect(schemaHash(schema)).toBe(schemaHash({ type: 'number' }));
  });
});
