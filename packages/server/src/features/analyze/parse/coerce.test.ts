import { describe, expect, it } from 'vitest';
import { coerceToSchema } from './coerce.ts';
import { matchEnumText, readDate } from './coerce-scalars.ts';

describe('coerceToSchema', () => {
  it('follows $ref, allOf, items and properties, and leaves the input unmodified', () => {
    const schema = {
      $defs: { count: { type: 'integer' } },
      type: 'object',
      properties: { counts: { type: 'array', items: { $ref: '#/$defs/count' } } },
      allOf: [{ properties: { ok: { type: 'boolean' } } }],
    };
    const input = { counts: ['1', 2, '3'], ok: 'yes' };
    const result = coerceToSchema(input, schema);
    expect(result.value).toEqual({ counts: [1, 2, 3], ok: true });
    expect(result.coercions).toEqual([
      'coerced /ok from "yes" to true',
      'coerced /counts/0 from "1" to 1',
      'coerced /counts/2 from "3" to 3',
    ]);
    expect(input).toEqual({ counts: ['1', 2, '3'], ok: 'yes' });
  });

  it('enters the anyOf branch the value fits, or the first a coercion makes it fit', () => {
    const schema = { anyOf: [{ type: 'null' }, { type: 'integer' }, { type: 'string', enum: ['n/a'] }] };
    expect(coerceToSchema(null, schema).coercions).toEqual([]);
    expect(coerceToSchema('7', schema).value).toBe(7);
    expect(coerceToSchema('N/A', schema).value).toBe('n/a');
    expect(coerceToSchema('seven', schema)).toEqual({ value: 'seven', coercions: [] });
  });

  it('touches nothing that already fits', () => {
    const schema = { type: ['string', 'number'], enum: ['42', 42] };
    expect(coerceToSchema('42', schema).coercions).toEqual([]);
  });
});

describe('matchEnumText', () => {
  it('matches by folded case, accents and separators, or as whole words, never when ambiguous', () => {
    const allowed = ['in_progress', 'done', 'café'];
    expect(matchEnumText('In Progress', allowed)).toBe('in_progress');
    expect(matchEnumText('CAFE', allowed)).toBe('café');
    expect(matchEnumText('it is done.', allowed)).toBe('done');
    expect(matchEnumText('done or in progress', allowed)).toBeUndefined();
    expect(matchEnumText('undone', allowed)).toBeUndefined();
  });
});

describe('readDate', () => {
  it('reads common spellings and refuses ambiguous or impossible ones', () => {
    expect(readDate('March 5, 2024')).toBe('2024-03-05');
    expect(readDate('05.03.2024')).toBe('2024-03-05');
    expect(readDate('2024-03-05T23:59:00-08:00')).toBe('2024-03-05');
    expect(readDate('05/03/2024')).toBeUndefined();
    expect(readDate('02/30/2024')).toBeUndefined();
    expect(readDate('2024-02-30')).toBeUndefined();
    expect(readDate('soon')).toBeUndefined();
  });
});

describe('coerceToSchema on recursive schemas', () => {
  it('terminates on anyOf branches that refer back to the root', () => {
    const schema = { type: 'object', anyOf: [{ $ref: '#' }, { $ref: '#' }, { $ref: '#' }] };
    expect(coerceToSchema('x', schema).value).toBe('x');
  });
});

describe('coerceToSchema on hostile keys', () => {
  it('keeps a __proto__ key of the answer as data', () => {
    const answer = JSON.parse('{"__proto__": {"polluted": "1"}, "n": "2"}');
    const result = coerceToSchema(answer, { properties: { n: { type: 'integer' } } });
    expect(Object.hasOwn(result.value as object, '__proto__')).toBe(true);
    expect(result.value).toMatchObject({ n: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
