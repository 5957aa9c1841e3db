import type { JsonSchema } from '@structured-prompt/gateway';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error.ts';
import { smallestAnswer } from './schema-answer-size.ts';
import { SchemaGuard } from './schema-guard.ts';
import { ValidatorCache } from './validator-cache.ts';

const guard = new SchemaGuard({ maxSchemaBytes: 51_200, maxSchemaDepth: 10, maxAnswerChars: 100_000 });

function refusal(schema: unknown): AppError {
  try {
    guard.check(schema);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    return error as AppError;
  }
  throw new Error('expected the schema to be refused');
}

describe('SchemaGuard: schemas whose smallest answer exceeds the output limit', () => {
  it('refuses minItems 1,000,000,000 at the array, naming the keyword and the setting', () => {
    const error = refusal({
      type: 'object',
      properties: { names: { type: 'array', items: { type: 'string' }, minItems: 1_000_000_000 } },
      required: ['names'],
    });
    expect(error.code).toBe('schema_answer_too_large');
    expect(error.errors).toEqual([
      expect.objectContaining({ path: '/schema/properties/names', keyword: 'minItems' }),
    ]);
    expect(error.message).toContain('MAX_ANSWER_CHARS');
  });

  it.each<[string, JsonSchema, string]>([
    ['minLength 3e8', { type: 'string', minLength: 3e8 }, '/schema'],
    [
      'nested minItems 1e5 × 1e5',
      { type: 'array', minItems: 100_000, items: { type: 'array', minItems: 100_000 } },
      '/schema',
    ],
    [
      'a product through $defs',
      {
        $defs: { row: { type: 'array', minItems: 400, items: { type: 'string', minLength: 1 } } },
        type: 'array',
        minItems: 400,
        items: { $ref: '#/$defs/row' },
      },
      '/schema',
    ],
    [
      'minProperties 1e6',
      { type: 'object', properties: { a: { type: 'object', minProperties: 1_000_000 } }, required: ['a'] },
      '/schema/properties/a',
    ],
  ])('refuses %s', (_name, schema, path) => {
    const error = refusal(schema);
    expect(error.code).toBe('schema_answer_too_large');
    expect(error.errors?.[0]?.path).toBe(path);
  });

  it('accepts large numbers that do not force a large answer', () => {
    for (const schema of [
      { type: 'array', maxItems: 1_000_000_000, items: { type: 'string', maxLength: 1e9 } },
      { type: 'object', properties: { s: { type: 'string', minLength: 3e8 } } },
      { anyOf: [{ type: 'string', minLength: 3e8 }, { type: 'null' }] },
      { type: ['string', 'integer'], minLength: 3e8 },
      { type: 'array', minItems: 1000, items: { type: 'integer' } },
    ]) {
      expect(guard.check(schema)).toBe(schema);
    }
  });

  it('sizes every subschema once, however often it is referred to', () => {
    const names = Array.from({ length: 10 }, (_, index) => `p${index}`);
    const $defs: Record<string, JsonSchema> = {};
    for (let level = 0; level < 12; level += 1) {
      const next = level === 11 ? { type: 'string' } : { $ref: `#/$defs/d${level + 1}` };
      $defs[`d${level}`] = {
        type: 'object',
        required: names,
        properties: Object.fromEntries(names.map((n) => [n, next])),
      };
    }
    const error = refusal({ $defs, $ref: '#/$defs/d0' });
    expect(error.code).toBe('schema_answer_too_large');
  });

  it('never exceeds the length of an instance that validates', () => {
    const ajv = new Ajv2020({ strict: false });
    const leaf = fc.oneof(
      fc
        .record({ type: fc.constant('string'), minLength: fc.nat(6) })
        .map((s) => ({ s, sample: 'x'.repeat(s.minLength) })),
      fc.constant({ s: { type: 'integer' }, sample: 12345 as unknown }),
      fc.constant({ s: { type: 'boolean' }, sample: false as unknown }),
    );
    const node = fc.letrec<{ node: { s: JsonSchema; sample: unknown } }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('node'), fc.nat(4)).map(([item, count]) => ({
          s: { type: 'array', minItems: count, items: item.s },
          sample: Array.from({ length: count + 1 }, () => item.sample),
        })),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => ({
          s: { type: 'object', properties: { a: a.s, b: b.s }, required: ['a'] },
          sample: { a: a.sample, b: b.sample },
        })),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => ({ s: { anyOf: [a.s, b.s] }, sample: b.sample })),
      ),
    })).node;
    fc.assert(
      fc.property(node, ({ s, sample }) => {
        expect(ajv.validate(s as object, sample)).toBe(true);
        expect(smallestAnswer(s, '2020-12').chars).toBeLessThanOrEqual(JSON.stringify(sample).length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('SchemaGuard: patterns the linear-time engine cannot run', () => {
  it.each([
    ['(a)\\1', 'backreferences'],
    ['^(?=a)', 'lookahead'],
    ['x{0,5000}', 'invalid repeat count'],
  ])('refuses %s with a 400 naming the pattern', (pattern, reason) => {
    const error = refusal({ type: 'object', properties: { a: { type: 'string', pattern } } });
    expect(error.code).toBe('unsupported_pattern');
    expect(error.errors).toEqual([
      expect.objectContaining({ path: '/schema/properties/a/pattern', keyword: 'pattern' }),
    ]);
    expect(error.errors?.[0]?.message).toContain(JSON.stringify(pattern));
    expect(error.errors?.[0]?.message).toContain(reason);
  });

  it('refuses patternProperties names and patterns longer than the limit', () => {
    const error = refusal({
      type: 'object',
      patternProperties: { '(?<!x)y': true },
      properties: { b: { type: 'string', pattern: 'a'.repeat(1001) } },
    });
    expect(error.errors?.map((entry) => entry.keyword).sort()).toEqual(['pattern', 'patternProperties']);
    expect(error.errors?.find((entry) => entry.keyword === 'pattern')?.message).toContain(
      'MAX_PATTERN_CHARS',
    );
  });

  it('accepts the pathological but linear-time pattern ^(a|a)+$', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', pattern: '^(a|a)+$' } } };
    expect(guard.check(schema)).toBe(schema);
  });

  it('refuses the patterns past the compile budget of one schema', () => {
    const alternation = Array.from({ length: 100 }, (_, index) => `w${index}`).join('|');
    const properties = Object.fromEntries(
      Array.from({ length: 10 }, (_, index) => [
        `p${index}`,
        { type: 'string', pattern: `(?:${alternation}|${index}){999}` },
      ]),
    );
    const error = refusal({ type: 'object', properties });
    expect(error.code).toBe('unsupported_pattern');
    expect(error.errors?.at(-1)?.message).toContain('past what the patterns of one schema may compile to');
  });
});

describe('ValidatorCache: patterns on the linear-time engine', () => {
  it('answers ^(a|a)+$ on 32 a’s and a b, and matches no text over the input bound', () => {
    const cache = new ValidatorCache({ maxEntries: 4, maxPatternInputChars: 40 });
    const validator = cache.get({
      type: 'object',
      properties: { a: { type: 'string', pattern: '^(a|a)+$' } },
      patternProperties: { '^x(y|y)+$': { type: 'integer' } },
    });
    expect(validator.validate({ a: `${'a'.repeat(32)}b` })).toEqual([
      expect.objectContaining({ path: '/a', keyword: 'pattern' }),
    ]);
    expect(validator.validate({ a: 'a'.repeat(40) })).toEqual([]);
    expect(validator.validate({ a: 'a'.repeat(41) })).toEqual([
      expect.objectContaining({ path: '/a', keyword: 'pattern' }),
    ]);
    expect(validator.validate({ [`x${'y'.repeat(30)}`]: 'not a number' })).toEqual([
      expect.objectContaining({ keyword: 'type' }),
    ]);
  });
});
