import { defaultOutputSchema } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error.ts';
import { schemaDialect, ValidatorCache } from './validator-cache.ts';

describe('ValidatorCache', () => {
  it('validates the default schema and reports errors by JSON Pointer', () => {
    const validator = new ValidatorCache({ maxEntries: 10 }).get(defaultOutputSchema);
    const valid = {
      intent: 'translate',
      subject: 'Hello',
      entities: [],
      output_format: 'text',
      original_language: 'en',
    };
    expect(validator.validate(valid)).toEqual([]);
    const errors = validator.validate({
      ...valid,
      intent: 'dance',
      entities: [{ type: 'person' }],
      extra: 1,
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: '/intent', keyword: 'enum', message: expect.stringContaining('"translate"') },
        { path: '/entities/0/value', keyword: 'required', message: 'is required but missing' },
        { path: '/extra', keyword: 'additionalProperties', message: expect.stringContaining('not allowed') },
      ]),
    );
  });

  it('checks formats and supports draft-07', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    const draft07 = cache.get({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { email: { type: 'string', format: 'email' }, pair: { items: [{ type: 'number' }] } },
    });
    expect(draft07.dialect).toBe('draft-07');
    expect(draft07.validate({ email: 'a@example.com', pair: [1] })).toEqual([]);
    expect(draft07.validate({ email: 'nope', pair: ['x'] })).toEqual([
      { path: '/email', keyword: 'format', message: 'must match format "email"' },
      { path: '/pair/0', keyword: 'type', message: 'must be number' },
    ]);
  });

  it('compiles equal schemas once, whatever their key order', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    const first = cache.get({ type: 'object', properties: { a: { type: 'string' } } });
    const second = cache.get({ properties: { a: { type: 'string' } }, type: 'object' });
    expect(second).toBe(first);
    expect(cache.compilations).toBe(1);
  });

  it('is bounded: the least recently used validator is evicted and recompiled on demand', () => {
    const cache = new ValidatorCache({ maxEntries: 2 });
    const a = { type: 'string' };
    cache.get(a);
    cache.get({ type: 'number' });
    cache.get({ type: 'boolean' });
    expect(cache.size).toBe(2);
    cache.get(a);
    expect(cache.compilations).toBe(4);
  });

  it('survives two schemas with the same $id (nothing is registered globally)', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    expect(cache.get({ $id: 'https://example.com/s', type: 'string' }).validate('x')).toEqual([]);
    expect(cache.get({ $id: 'https://example.com/s', type: 'number' }).validate(1)).toEqual([]);
  });

  it('does not see later mutations of the caller’s schema object', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    const schema: Record<string, unknown> = { type: 'string' };
    const validator = cache.get(schema);
    schema.type = 'number';
    expect(validator.validate('x')).toEqual([]);
  });

  it('turns a compile failure into invalid_schema', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    expect(() => cache.get({ $ref: '#/$defs/missing' })).toThrow(AppError);
    try {
      cache.get({ $schema: 'http://json-schema.org/draft-04/schema#' });
    } catch (error) {
      expect((error as AppError).code).toBe('invalid_schema');
    }
  });

  it('caps the number of errors reported', () => {
    const cache = new ValidatorCache({ maxEntries: 10, maxErrors: 3 });
    const errors = cache.get({ type: 'array', items: { type: 'string' } }).validate([1, 2, 3, 4, 5]);
    expect(errors).toHaveLength(4);
    expect(errors[3]?.message).toBe('2 more errors omitted');
  });
});

describe('schemaDialect', () => {
  it('reads $schema, defaulting to 2020-12', () => {
    expect(schemaDialect({})).toBe('2020-12');
    expect(schemaDialect(false)).toBe('2020-12');
    expect(schemaDialect({ $schema: 'http://json-schema.org/draft-07/schema' })).toBe('draft-07');
    expect(schemaDialect({ $schema: 'https://json-schema.org/draft/2020-12/schema#' })).toBe('2020-12');
    expect(schemaDialect({ $schema: 'https://json-schema.org/draft/2019-09/schema' })).toBeUndefined();
  });
});
