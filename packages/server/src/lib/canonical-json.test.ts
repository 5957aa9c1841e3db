import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalStringify, schemaHash } from './canonical-json.ts';

describe('canonicalStringify', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalStringify({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('follows JSON.stringify for undefined, non-finite numbers and toJSON', () => {
    expect(canonicalStringify({ a: undefined, b: [undefined, Number.NaN], c: new Date(0) })).toBe(
      '{"b":[null,null],"c":"1970-01-01T00:00:00.000Z"}',
    );
  });

  it('parses back to the same value as JSON.stringify', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalStringify(value))).toEqual(JSON.parse(JSON.stringify(value)));
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
});
