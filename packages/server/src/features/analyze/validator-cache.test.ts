import { defaultOutputSchema } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error.ts';
import { ValidatorCache } from './validator-cache.ts';

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
      cache.get({ $schema: 'http://json-schema.org/draft-03/schema#' });
      expect.unreachable('draft-03 is not supported');
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

describe('ValidatorCache isolation (every schema in its own Ajv instance)', () => {
  const metaSchemaIds = [
    'https://json-schema.org/draft/2020-12/schema',
    'http://json-schema.org/draft-07/schema#',
    'https://json-schema.org/draft/2019-09/schema',
  ];

  it.each(metaSchemaIds)('a schema whose $id is %s, once evicted, leaves the meta-schema in place', (id) => {
    const cache = new ValidatorCache({ maxEntries: 1 });
    expect(cache.get({ $id: id, type: 'object' }).validate({})).toEqual([]);
    cache.get({ type: 'string' }); // evicts the first
    const validator = cache.get(defaultOutputSchema);
    expect(validator.validate({})).toContainEqual(expect.objectContaining({ path: '/intent' }));
    const draft07 = cache.get({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'number' });
    expect(draft07.validate(1)).toEqual([]);
  });

  it('keeps two schemas that embed the same $id apart', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    const embedding = (type: string) => ({
      type: 'object',
      properties: { value: { $ref: 'https://example.com/shared' } },
      $defs: { shared: { $id: 'https://example.com/shared', type } },
    });
    const strings = cache.get(embedding('string'));
    const numbers = cache.get(embedding('number'));
    expect(strings.validate({ value: 'a' })).toEqual([]);
    expect(numbers.validate({ value: 1 })).toEqual([]);
    expect(numbers.validate({ value: 'a' })).toEqual([
      { path: '/value', keyword: 'type', message: 'must be number' },
    ]);
  });

  it('resolves root recursion ($ref "#") in a schema without $id', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    const tree = cache.get({
      type: 'object',
      properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
      required: ['name'],
    });
    expect(tree.validate({ name: 'a', children: [{ name: 'b', children: [] }] })).toEqual([]);
    expect(tree.validate({ name: 'a', children: [{ children: [] }] })).toEqual([
      { path: '/children/0/name', keyword: 'required', message: 'is required but missing' },
    ]);
  });
});

describe('ValidatorCache with $async schemas', () => {
  it('validates synchronously: invalid data gets its errors, nothing is left to reject later', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    const validator = cache.get({
      $async: true,
      type: 'object',
      properties: { a: { type: 'integer' } },
      required: ['a'],
    });
    expect(validator.validate({ a: 'not an integer' })).toEqual([
      { path: '/a', keyword: 'type', message: 'must be integer' },
    ]);
    expect(validator.validate({ a: 1 })).toEqual([]);
  });

  it('ignores $async in subschemas too', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    const validator = cache.get({
      $defs: { count: { $async: true, type: 'integer' } },
      properties: { a: { $ref: '#/$defs/count' } },
    });
    expect(validator.validate({ a: 'x' })).toEqual([
      { path: '/a', keyword: 'type', message: 'must be integer' },
    ]);
  });
});

describe('ValidatorCache properties named like Object.prototype members', () => {
  it('does not see inherited `constructor` or `toString` as data', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    const validator = cache.get({
      type: 'object',
      properties: { constructor: { type: 'string' }, toString: { type: 'string' } },
      required: ['toString'],
    });
    expect(validator.validate({ toString: 'x' })).toEqual([]);
    expect(validator.validate({})).toEqual([
      { path: '/toString', keyword: 'required', message: 'is required but missing' },
    ]);
    expect(validator.validate(JSON.parse('{"toString":"x","constructor":1}'))).toEqual([
      { path: '/constructor', keyword: 'type', message: 'must be string' },
    ]);
  });
});

describe('ValidatorCache dialects', () => {
  const cache = new ValidatorCache({ maxEntries: 50 });

  it('draft-04: boolean exclusiveMinimum / exclusiveMaximum and `id`', () => {
    const validator = cache.get({
      $schema: 'http://json-schema.org/draft-04/schema#',
      id: 'http://example.com/price',
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 10,
      exclusiveMaximum: false,
    });
    expect(validator.dialect).toBe('draft-04');
    expect(validator.validate(0)).toEqual([{ path: '', keyword: 'minimum', message: 'must be > 0' }]);
    expect(validator.validate(10)).toEqual([]);
    const anchored = cache.get({
      $schema: 'http://json-schema.org/draft-04/schema#',
      definitions: { count: { id: '#count', type: 'integer' } },
      properties: { n: { $ref: '#count' } },
    });
    expect(anchored.validate({ n: 1.5 })).toEqual([
      { path: '/n', keyword: 'type', message: 'must be integer' },
    ]);
  });

  it('draft-06: draft-07 keywords such as if/then are not applied', () => {
    // Parsed from text: an object literal with a `then` key would be a thenable.
    const validator = cache.get(
      JSON.parse(
        '{"$schema": "http://json-schema.org/draft-06/schema#", "if": {"const": 1}, "then": false, "const": 1}',
      ),
    );
    expect(validator.dialect).toBe('draft-06');
    expect(validator.validate(1)).toEqual([]);
  });

  it('2019-09: $recursiveRef', () => {
    const validator = cache.get({
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      $recursiveAnchor: true,
      type: 'object',
      properties: { next: { $recursiveRef: '#' }, value: { type: 'integer' } },
    });
    expect(validator.dialect).toBe('2019-09');
    expect(validator.validate({ value: 1, next: { value: 'x' } })).toEqual([
      { path: '/next/value', keyword: 'type', message: 'must be integer' },
    ]);
  });

  it('2020-12: prefixItems, and boolean subschemas everywhere', () => {
    const validator = cache.get({ prefixItems: [{ type: 'string' }, true], items: false });
    expect(validator.dialect).toBe('2020-12');
    expect(validator.validate(['a', { any: 1 }])).toEqual([]);
    expect(validator.validate(['a', 1, 2])).toHaveLength(1);
    expect(cache.get(false).validate(null)).toEqual([
      { path: '', keyword: 'false schema', message: 'boolean schema is false' },
    ]);
  });
});

describe('ValidatorCache and recursion', () => {
  it('refuses a schema whose validation recurses without end (Ajv resolves this $dynamicRef to the root)', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://example.com/derived',
      $ref: './base',
      $defs: {
        derived: { $dynamicAnchor: 'addons', prefixItems: [true, { type: 'string' }] },
        base: {
          $id: './base',
          type: 'array',
          $dynamicRef: '#addons',
          $defs: { defaultAddons: { $dynamicAnchor: 'addons' } },
        },
      },
    };
    const cache = new ValidatorCache({ maxEntries: 10 });
    expect(() => cache.get(schema)).toThrow('Validating against the schema recurses without end');
  });

  it('reports an answer nested too deeply to validate as an error of the answer, not a crash', () => {
    const cache = new ValidatorCache({ maxEntries: 10 });
    const validator = cache.get({ type: 'array', items: { $ref: '#' } });
    let deep: unknown[] = [];
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(validator.validate(deep)).toEqual([
      { path: '', keyword: 'depth', message: expect.stringContaining('nests too deeply') },
    ]);
    expect(validator.validate([[[]]])).toEqual([]);
  });
});
