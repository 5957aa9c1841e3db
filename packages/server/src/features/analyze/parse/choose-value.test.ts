import type { JsonValue } from '@structured-prompt/gateway';
import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '../validator-cache.ts';
import { settleValue } from './choose-value.ts';
import type { FoundValue, SchemaCheck } from './parse-types.ts';

const validators = new ValidatorCache({ maxEntries: 8 });

function check(schema: Record<string, unknown>): SchemaCheck {
  const validator = validators.get(schema);
  return { schema, validate: (value) => validator.validate(value) };
}

function found(...values: JsonValue[]): FoundValue[] {
  return values.map((value) => ({ value, repairs: [], wellFormed: true }));
}

const person = check({
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
});

describe('settleValue', () => {
  it('without a schema takes the first well-formed value and says so', () => {
    const values: FoundValue[] = [{ value: ['x'], repairs: [], wellFormed: false }, ...found({ a: 1 })];
    const settled = settleValue(values, undefined);
    expect(settled.value).toEqual({ a: 1 });
    expect(settled.repairs).toEqual([
      {
        kind: 'selection',
        description: 'the answer held 2 JSON values; used the 2nd, the first well-formed one',
      },
    ]);
  });

  it('prefers a value that validates as it is over merging or coercing', () => {
    const settled = settleValue(found({ name: 'Ada', age: '36' }, { name: 'Bob', age: 41 }), person);
    expect(settled.value).toEqual({ name: 'Bob', age: 41 });
    expect(settled.coercions).toEqual([]);
  });

  it('merges objects with distinct keys when no single one validates', () => {
    const settled = settleValue(found({ name: 'Ada' }, { age: 36 }), person);
    expect(settled.value).toEqual({ name: 'Ada', age: 36 });
    expect(settled.repairs.at(-1)?.kind).toBe('merge');
  });

  it('coerces when nothing validates as it is, and otherwise returns the value with the fewest errors', () => {
    expect(settleValue(found({ name: 'Ada' }, { name: 'Ada', age: '36' }), person).value).toEqual({
      name: 'Ada',
      age: 36,
    });
    const settled = settleValue(found({ nope: 1 }, { name: 'Ada', age: 'old' }), person);
    expect(settled.value).toEqual({ name: 'Ada', age: 'old' });
    expect(settled.errors.map((error) => error.path)).toEqual(['/age']);
    expect(settled.repairs.at(-1)?.description).toContain('none validates');
  });
});
