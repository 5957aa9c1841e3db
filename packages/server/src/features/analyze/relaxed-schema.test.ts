import { defaultOutputSchema } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import { answersTheSchema, deriveRelaxedSchema, isRelaxable } from './relaxed-schema.ts';
import { ValidatorCache } from './validator-cache.ts';

describe('deriveRelaxedSchema', () => {
  it('makes required fields optional and allows extra properties at every level', () => {
    const relaxed = deriveRelaxedSchema(defaultOutputSchema) as {
      required?: unknown;
      additionalProperties?: unknown;
      properties: {
        intent: { enum: unknown };
        entities: { items: { required?: unknown; additionalProperties?: unknown } };
      };
    };
    expect(relaxed.required).toBeUndefined();
    expect(relaxed.additionalProperties).toBeUndefined();
    expect(relaxed.properties.entities.items.required).toBeUndefined();
    expect(relaxed.properties.entities.items.additionalProperties).toBeUndefined();
    // Everything else stays.
    expect(relaxed.properties.intent.enum).toEqual(defaultOutputSchema.properties.intent.enum);
    expect(defaultOutputSchema.required).toHaveLength(5);
  });

  it('keeps additionalProperties schemas and relaxes inside $defs and combinators', () => {
    const relaxed = deriveRelaxedSchema({
      additionalProperties: { type: 'string' },
      $defs: { a: { required: ['x'], dependentRequired: { x: ['y'] } } },
      anyOf: [{ required: ['z'], unevaluatedProperties: false }],
      dependencies: { a: ['b'], c: { required: ['d'] } },
    });
    expect(relaxed).toEqual({
      additionalProperties: { type: 'string' },
      $defs: { a: {} },
      anyOf: [{}],
      dependencies: { c: {} },
    });
  });

  it('lets missing and extra fields pass but not wrong types', () => {
    const validator = new ValidatorCache({ maxEntries: 4 }).get(deriveRelaxedSchema(defaultOutputSchema));
    expect(validator.validate({ intent: 'translate', surprise: true })).toEqual([]);
    expect(validator.validate({ intent: 42 }).map((error) => error.keyword)).toContain('type');
  });
});

describe('isRelaxable', () => {
  it('holds only when every error is a missing or unexpected field', () => {
    expect(isRelaxable([{ path: '/a', message: '', keyword: 'required' }])).toBe(true);
    expect(
      isRelaxable([
        { path: '/a', message: '', keyword: 'required' },
        { path: '/b', message: '', keyword: 'additionalProperties' },
      ]),
    ).toBe(true);
    expect(
      isRelaxable([
        { path: '/a', message: '', keyword: 'required' },
        { path: '/b', message: '', keyword: 'type' },
      ]),
    ).toBe(false);
    expect(isRelaxable([{ path: '', message: 'not JSON', keyword: 'parse' }])).toBe(false);
    expect(isRelaxable([])).toBe(false);
  });
});

describe('answersTheSchema', () => {
  const schema = {
    type: 'object',
    properties: { name: { type: 'string' } },
    allOf: [{ $ref: '#/$defs/aged' }],
    $defs: { aged: { properties: { age: { type: 'integer' } } } },
  };

  it('holds when the answer has one declared property, directly or through $ref and allOf', () => {
    expect(answersTheSchema(schema, { name: 'Ada', extra: 1 })).toBe(true);
    expect(answersTheSchema(schema, { age: 36 })).toBe(true);
  });

  it('fails for an empty object or one of invented keys', () => {
    expect(answersTheSchema(schema, {})).toBe(false);
    expect(answersTheSchema(schema, { mood: 'happy' })).toBe(false);
  });

  it('checks every object item of an array answer, and ignores schemas that declare no properties', () => {
    const { $defs, ...item } = schema;
    const list = { type: 'array', items: item, $defs };
    expect(answersTheSchema(list, [{ name: 'a' }, { age: 1 }])).toBe(true);
    expect(answersTheSchema(list, [{ name: 'a' }, {}])).toBe(false);
    expect(answersTheSchema({ type: 'object' }, {})).toBe(true);
    expect(answersTheSchema(defaultOutputSchema, 'not an object')).toBe(true);
  });
});
