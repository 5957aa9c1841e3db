import { describe, expect, it } from 'vitest';
import { changeLevel, diffSchemas, isLaterVersion, proposeVersion } from './version-diff.ts';

const base = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string' },
    amount: { type: 'number', minimum: 0 },
    status: { enum: ['open', 'paid'] },
    note: { type: ['string', 'null'], description: 'free text' },
  },
};

/** `base` with one part changed. */
const withProperty = (name: string, schema: unknown) => ({
  ...base,
  properties: { ...base.properties, [name]: schema },
});

describe('diffSchemas rates each change as semantic versioning does', () => {
  it.each([
    [
      'a removed property',
      {
        ...base,
        properties: {
          id: base.properties.id,
          amount: base.properties.amount,
          status: base.properties.status,
        },
      },
      'major',
      '/properties/note',
    ],
    ['a newly required property', { ...base, required: ['id', 'amount'] }, 'major', '/required'],
    [
      'a narrowed type',
      withProperty('note', { type: 'string', description: 'free text' }),
      'major',
      '/properties/note/type',
    ],
    [
      'number narrowed to integer',
      withProperty('amount', { type: 'integer', minimum: 0 }),
      'major',
      '/properties/amount/type',
    ],
    ['an enum value removed', withProperty('status', { enum: ['open'] }), 'major', '/properties/status/enum'],
    [
      'a raised minimum',
      withProperty('amount', { type: 'number', minimum: 1 }),
      'major',
      '/properties/amount/minimum',
    ],
    [
      'extra properties forbidden',
      { ...base, additionalProperties: false },
      'major',
      '/additionalProperties',
    ],
    [
      'a change inside anyOf, which the rules cannot judge',
      { ...base, anyOf: [{ required: ['id'] }] },
      'major',
      '/anyOf',
    ],
    [
      'an added optional property',
      withProperty('currency', { type: 'string' }),
      'minor',
      '/properties/currency',
    ],
    ['a property no longer required', { ...base, required: [] }, 'minor', '/required'],
    [
      'a widened type',
      withProperty('amount', { type: ['number', 'string'], minimum: 0 }),
      'minor',
      '/properties/amount/type',
    ],
    [
      'a removed minimum',
      { ...withProperty('amount', { type: 'number' }) },
      'minor',
      '/properties/amount/minimum',
    ],
    [
      'an enum value added',
      withProperty('status', { enum: ['open', 'paid', 'void'] }),
      'minor',
      '/properties/status/enum',
    ],
    [
      'a changed description',
      withProperty('note', { type: ['string', 'null'], description: 'anything' }),
      'patch',
      '/properties/note/description',
    ],
  ])('%s is %s', (_name, after, level, path) => {
    const changes = diffSchemas(base, after);
    expect(changeLevel(changes)).toBe(level);
    expect(changes.map((change) => change.path)).toContain(path);
  });

  it('finds nothing between schemas that differ only in key order', () => {
    const reordered = { properties: base.properties, required: ['id'], type: 'object' };
    expect(diffSchemas(base, reordered)).toEqual([]);
    expect(changeLevel([])).toBe('patch');
  });

  it('looks into array items', () => {
    const list = (item: unknown) => ({ type: 'array', items: item });
    const changes = diffSchemas(
      list({ type: 'object', properties: { a: {} } }),
      list({ type: 'object', properties: {} }),
    );
    expect(changes).toEqual([expect.objectContaining({ path: '/items/properties/a', level: 'major' })]);
  });

  it('rates replacing a schema by `true` as widening and the reverse as narrowing', () => {
    expect(changeLevel(diffSchemas({ type: 'string' }, true))).toBe('minor');
    expect(changeLevel(diffSchemas(true, { type: 'string' }))).toBe('major');
  });
});

describe('proposeVersion and isLaterVersion', () => {
  it('bumps the part the change level names and resets the lower ones', () => {
    expect(proposeVersion('1.4.2', 'major')).toBe('2.0.0');
    expect(proposeVersion('1.4.2', 'minor')).toBe('1.5.0');
    expect(proposeVersion('1.4.2', 'patch')).toBe('1.4.3');
  });

  it('accepts only higher versions', () => {
    expect(isLaterVersion('1.10.0', '1.9.0')).toBe(true);
    expect(isLaterVersion('1.0.0', '1.0.0')).toBe(false);
    expect(isLaterVersion('0.9.0', '1.0.0')).toBe(false);
    expect(isLaterVersion('banana', '1.0.0')).toBe(false);
  });
});
