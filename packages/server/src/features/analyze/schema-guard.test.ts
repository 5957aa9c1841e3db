import { defaultOutputSchema } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import { SchemaGuard } from './schema-guard.ts';

const guard = new SchemaGuard({ maxSchemaBytes: 51_200, maxSchemaDepth: 10 });

function rejection(schema: unknown): AppError {
  try {
    guard.check(schema);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_schema');
    expect((error as AppError).status).toBe(400);
    return error as AppError;
  }
  throw new Error('expected the schema to be refused');
}

/** `levels` schema objects nested through `properties`, the root counting as the first. */
function nested(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let level = 1; level < levels; level += 1) schema = { type: 'object', properties: { child: schema } };
  return schema;
}

describe('SchemaGuard', () => {
  it('accepts the default schema, draft-07 schemas and boolean schemas', () => {
    expect(guard.check(defaultOutputSchema)).toBe(defaultOutputSchema);
    const draft07 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { name: { type: 'string' } },
      type: 'object',
      properties: {
        name: { $ref: '#/definitions/name' },
        tags: { type: 'array', items: [{ type: 'string' }] },
      },
    };
    expect(guard.check(draft07)).toBe(draft07);
    expect(guard.check(true)).toBe(true);
  });

  it('refuses what is not a schema at all', () => {
    expect(rejection('string').errors).toEqual([
      { path: '/schema', message: 'must be a JSON Schema object or boolean', keyword: 'type' },
    ]);
    expect(rejection([]).errors?.[0]?.path).toBe('/schema');
  });

  it('refuses a schema that breaks the meta-schema, naming the keyword path', () => {
    const error = rejection({ type: 12 });
    expect(error.errors).toHaveLength(1);
    expect(error.errors?.[0]).toMatchObject({ path: '/schema/type', keyword: 'type' });
    expect(error.errors?.[0]?.message).toContain('"string"');
  });

  it('names nested offending keywords, and the map keyword for a non-schema property', () => {
    const error = rejection({ properties: { a: { minLength: -1 }, b: 5 } });
    expect(error.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/schema/properties/a/minLength', keyword: 'minLength' }),
        expect.objectContaining({ path: '/schema/properties/b', keyword: 'properties' }),
      ]),
    );
  });

  it('checks draft-07 schemas against the draft-07 meta-schema', () => {
    // `prefixItems` is unknown to draft-07 (ignored), but `items: 5` is wrong in both.
    const error = rejection({ $schema: 'http://json-schema.org/draft-07/schema#', items: 5 });
    expect(error.errors?.[0]).toMatchObject({ path: '/schema/items', keyword: 'items' });
  });

  it('refuses meta-schemas of other dialects, naming the supported ones', () => {
    const error = rejection({ $schema: 'http://json-schema.org/draft-03/schema#', type: 'string' });
    expect(error.errors?.[0]).toMatchObject({ path: '/schema/$schema', keyword: '$schema' });
    expect(error.errors?.[0]?.message).toContain('"http://json-schema.org/draft-04/schema"');
    expect(error.errors?.[0]?.message).toContain('"https://json-schema.org/draft/2019-09/schema"');
  });

  it.each([
    ['draft-04', 'http://json-schema.org/draft-04/schema#', { minimum: 0, exclusiveMinimum: true, id: 'x' }],
    ['draft-06', 'http://json-schema.org/draft-06/schema#', { exclusiveMinimum: 0, contains: { const: 1 } }],
    [
      'draft-07',
      'http://json-schema.org/draft-07/schema',
      // Parsed from text: an object literal with a `then` key would be a thenable.
      JSON.parse('{"if": {"type": "string"}, "then": {"minLength": 1}}'),
    ],
    ['2019-09', 'https://json-schema.org/draft/2019-09/schema', { $recursiveAnchor: true, items: [true] }],
    ['2020-12', 'https://json-schema.org/draft/2020-12/schema#', { prefixItems: [true], items: false }],
  ])('accepts a %s schema and checks it against that meta-schema', (dialect, uri, keywords) => {
    const schema = { $schema: uri, ...keywords };
    expect(guard.check(schema)).toBe(schema);
    const broken = rejection({ $schema: uri, ...keywords, minLength: -1 });
    expect(broken.message).toBe(`The schema is not a valid ${dialect} JSON Schema`);
    expect(broken.errors?.[0]).toMatchObject({ path: '/schema/minLength', keyword: 'minLength' });
  });

  it('infers the dialect of a schema without $schema from the meta-schemas that accept it', () => {
    // Boolean exclusiveMinimum is valid only in draft-04; a tuple `items` array only before 2020-12.
    expect(guard.check({ minimum: 0, exclusiveMinimum: true })).toBeTruthy();
    expect(guard.check({ items: [{ type: 'string' }], additionalItems: false })).toBeTruthy();
    expect(guard.check({ $schema: 'http://json-schema.org/schema#', items: [true] })).toBeTruthy();
    // Valid in no dialect: the 2020-12 errors are reported.
    expect(rejection({ exclusiveMinimum: true, prefixItems: 1 }).message).toBe(
      'The schema is not a valid 2020-12 JSON Schema',
    );
  });

  it('refuses a $ref to a URL, and to a relative file', () => {
    const error = rejection({ properties: { a: { $ref: 'https://example.com/schema.json' } } });
    expect(error.errors).toEqual([
      expect.objectContaining({ path: '/schema/properties/a/$ref', keyword: '$ref' }),
    ]);
    expect(error.errors?.[0]?.message).toContain('remote reference');
    expect(rejection({ $ref: 'other.json#/x' }).errors?.[0]?.path).toBe('/schema/$ref');
  });

  it('accepts a bundled schema whose references name its own embedded $ids', () => {
    const bundle = {
      $id: 'https://example.com/order.json',
      properties: { item: { $ref: 'item.json' } },
      $defs: { item: { $id: 'item.json', type: 'string' } },
    };
    expect(guard.check(bundle)).toBe(bundle);
  });

  it('does not mistake data that looks like a $ref for one', () => {
    const schema = { const: { $ref: 'https://example.com' }, examples: [{ $ref: 'http://x' }] };
    expect(guard.check(schema)).toBe(schema);
  });

  it('refuses a $ref cycle with no structure in between (a → b → a)', () => {
    const error = rejection({
      $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } },
      $ref: '#/$defs/a',
    });
    expect(error.errors).toHaveLength(1);
    expect(error.errors?.[0]?.keyword).toBe('$ref');
    expect(error.errors?.[0]?.path).toMatch(/^\/schema\/\$defs\/[ab]\/\$ref$/);
    expect(error.errors?.[0]?.message).toContain('recursive schema');
  });

  it('refuses a cycle through in-place applicators, and a self reference', () => {
    expect(rejection({ $defs: { a: { allOf: [{ $ref: '#/$defs/a' }] } } }).errors?.[0]).toMatchObject({
      path: '/schema/$defs/a/allOf/0/$ref',
      keyword: '$ref',
    });
    expect(rejection({ anyOf: [{ $ref: '#' }] }).errors?.[0]?.path).toBe('/schema/anyOf/0/$ref');
  });

  it('allows well-founded recursion through properties and items (a tree)', () => {
    const tree = {
      $defs: {
        node: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/node' } },
          },
        },
      },
      $ref: '#/$defs/node',
    };
    expect(guard.check(tree)).toBe(tree);
    const anchored = { $anchor: 'root', type: 'object', properties: { next: { $ref: '#root' } } };
    expect(guard.check(anchored)).toBe(anchored);
  });

  it('refuses an unresolvable local $ref', () => {
    expect(rejection({ properties: { a: { $ref: '#/$defs/missing' } } }).errors?.[0]).toMatchObject({
      path: '/schema/properties/a/$ref',
      keyword: '$ref',
    });
  });

  it('allows depth 10 and refuses depth 11, pointing at the first schema too deep', () => {
    expect(guard.check(nested(10))).toBeTruthy();
    const error = rejection(nested(11));
    const path = `/schema${'/properties/child'.repeat(10)}`;
    expect(error.errors).toEqual([expect.objectContaining({ path, keyword: 'properties' })]);
  });

  it('refuses a schema over the byte limit', () => {
    const properties: Record<string, unknown> = {};
    for (let index = 0; index < 2000; index += 1)
      properties[`field_${index}`] = { type: 'string', description: 'x' };
    const error = rejection({ type: 'object', properties });
    expect(error.errors).toEqual([
      {
        path: '/schema',
        message: 'must not be larger than 51200 bytes (MAX_SCHEMA_BYTES / limits.maxSchemaBytes)',
      },
    ]);
    expect(error.message).toMatch(
      /^The schema is \d+ bytes of JSON; the limit is 51200 bytes \(MAX_SCHEMA_BYTES/,
    );
  });

  it('applies the configured limits and names the setting that changes them', () => {
    const roomy = new SchemaGuard({ maxSchemaBytes: 200_000, maxSchemaDepth: 12 });
    expect(roomy.check(nested(12))).toBeTruthy();
    const tight = new SchemaGuard({ maxSchemaBytes: 128, maxSchemaDepth: 2 });
    expect(() => tight.check(nested(3))).toThrow(/depth must not exceed 2 levels \(MAX_SCHEMA_DEPTH/);
    expect(() => tight.check({ description: 'x'.repeat(128) })).toThrow(/the limit is 128 bytes/);
  });

  it('refuses absurd JSON nesting hidden in data keywords without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let index = 0; index < 5000; index += 1) deep = [deep];
    const small = new SchemaGuard({ maxSchemaBytes: 1_000_000, maxSchemaDepth: 10 });
    expect(() => small.check({ const: deep })).toThrow(AppError);
  });

  it('refuses invalid regular expressions with their path', () => {
    expect(rejection({ properties: { a: { pattern: '(' } } }).errors?.[0]).toMatchObject({
      path: '/schema/properties/a/pattern',
      keyword: 'pattern',
    });
    expect(rejection({ patternProperties: { '[': {} } }).errors?.[0]?.keyword).toBe('patternProperties');
  });

  describe('checkInline', () => {
    const ticket = {
      type: 'object',
      required: ['priority'],
      properties: { priority: { enum: ['low', 'high'] }, note: { type: 'string' } },
    };

    it('checks a schema once, however often and in whatever key order it is sent again', () => {
      const inline = new SchemaGuard({ maxSchemaBytes: 51_200, maxSchemaDepth: 10 });
      const first = inline.checkInline(ticket);
      const reordered = inline.checkInline({
        properties: { note: { type: 'string' }, priority: { enum: ['low', 'high'] } },
        required: ['priority'],
        type: 'object',
      });
      expect(first.schema).toBe(ticket);
      // The schema first accepted stands for every equal one: what is remembered per object holds.
      expect(reordered.schema).toBe(ticket);
      expect(reordered.hash).toBe(first.hash);
      expect(first.hash).toBe(schemaHash(ticket));
      expect(inline.fullChecks).toBe(1);
      // Any change to the content is a schema of its own, checked in full.
      inline.checkInline({ ...ticket, required: ['note'] });
      expect(inline.fullChecks).toBe(2);
    });

    it('refuses an invalid schema every time it is sent, with its errors', () => {
      const inline = new SchemaGuard({ maxSchemaBytes: 51_200, maxSchemaDepth: 2 });
      const tooDeep = nested(3);
      for (let attempt = 0; attempt < 2; attempt += 1) {
        expect(() => inline.checkInline(tooDeep)).toThrow(/depth must not exceed 2 levels/);
      }
      expect(inline.fullChecks).toBe(2);
    });

    it('refuses absurd nesting before hashing it', () => {
      let deep: unknown = 1;
      for (let index = 0; index < 5000; index += 1) deep = [deep];
      expect(() => guard.checkInline({ const: deep })).toThrow(/nests JSON deeper than 128 levels/);
    });
  });
});
