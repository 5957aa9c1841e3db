import { describe, expect, it } from 'vitest';
import { keywordAtPath, subschemasOf, toPointer } from './schema-walk.ts';

describe('subschemasOf', () => {
  it('lists subschemas with their role, and skips data keywords and non-schema values', () => {
    const entries = subschemasOf({
      properties: { a: { type: 'string' } },
      items: [{ type: 'number' }],
      allOf: [true],
      else: { minimum: 1 },
      $defs: { d: {} },
      dependencies: { a: ['b'], c: { required: ['x'] } },
      const: { type: 'string' },
      examples: [{ $ref: 'http://x' }],
      'x-vendor': { type: 'string' },
    });
    expect(entries.map((entry) => `${entry.role} ${toPointer(entry.segments)}`)).toEqual([
      'structural /properties/a',
      'structural /items/0',
      'in-place /allOf/0',
      'in-place /else',
      'definition /$defs/d',
      'in-place /dependencies/c',
    ]);
  });
});

describe('toPointer', () => {
  it('escapes ~ and /', () => {
    expect(toPointer(['properties', 'a/b~c'])).toBe('/properties/a~1b~0c');
    expect(toPointer([])).toBe('');
  });
});

describe('keywordAtPath', () => {
  it('names the schema keyword a path ends in', () => {
    expect(keywordAtPath(['properties', 'type', 'type'])).toBe('type');
    expect(keywordAtPath(['properties', 'a'])).toBe('properties');
    expect(keywordAtPath(['allOf', '0', 'items', 'minItems'])).toBe('minItems');
    expect(keywordAtPath(['required', '1'])).toBe('required');
    expect(keywordAtPath([])).toBeUndefined();
  });
});
