import { defaultOutputSchema } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import { deriveRelaxedSchema, isRelaxable } from './relaxed-schema.ts';
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
