import { defaultOutputSchema } from '@structured-prompt/contracts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../spec/json-schema.ts';
import { compileSchema, defaultGrammarCaps, stripAddedNulls } from './index.ts';
import { schemaCorpus } from './schema-corpus.ts';
import { isSchemaNode, type SchemaNode } from './schema-walk.ts';

/** Every object node of a schema, with its path, for invariants that must hold everywhere. */
function nodes(schema: unknown, path = ''): Array<[string, SchemaNode]> {
  if (Array.isArray(schema)) return schema.flatMap((item, index) => nodes(item, `${path}/${index}`));
  if (!isSchemaNode(schema)) return [];
  const out: Array<[string, SchemaNode]> = [[path, schema]];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'enum' || key === 'const' || key === 'required') continue;
    out.push(...nodes(value, `${path}/${key}`));
  }
  return out;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
const validates = (schema: JsonSchema, data: unknown) => {
  const { $schema: _ignored, ...rest } = schema as SchemaNode;
  return ajv.validate(rest, data);
};

describe('openai strict compilation', () => {
  it.each(Object.entries(schemaCorpus))(
    '%s: strict output keeps every object closed and fully required',
    (_name, schema) => {
      const compiled = compileSchema(schema, 'openai');
      if (compiled.mode !== 'strict-json-schema') return;
      for (const [, node] of nodes(compiled.schema)) {
        if (node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'))) {
          expect(node.additionalProperties).toBe(false);
          expect(node.required).toEqual(Object.keys(node.properties as object));
        }
        for (const keyword of [
          'minLength',
          'maxLength',
          'uniqueItems',
          'oneOf',
          'allOf',
          '$schema',
          'definitions',
        ]) {
          expect(node).not.toHaveProperty(keyword);
        }
      }
      expect(() => ajv.compile(compiled.schema!)).not.toThrow();
    },
  );

  it('turns optional properties into required nullable ones and strips the nulls afterwards', () => {
    const compiled = compileSchema(schemaCorpus.optionalFields!, 'openai');
    expect(compiled.mode).toBe('strict-json-schema');
    expect(compiled.schema!.properties).toEqual({
      name: { type: 'string' },
      nickname: { type: ['string', 'null'] },
      age: { type: ['integer', 'null'] },
    });
    const answer = JSON.stringify({ name: 'Ada', nickname: null, age: null });
    expect(validates(compiled.schema!, JSON.parse(answer))).toBe(true);
    const stripped = stripAddedNulls(answer, compiled);
    expect(JSON.parse(stripped)).toEqual({ name: 'Ada' });
    expect(validates(schemaCorpus.optionalFields!, JSON.parse(stripped))).toBe(true);
    expect(compiled.addedNulls).toEqual(['/properties/age', '/properties/nickname']);
  });

  it('marks answers as needing null stripping only when an optional property was made nullable', () => {
    const allRequired = compileSchema(defaultOutputSchema as JsonSchema, 'openai');
    expect(allRequired.mode).toBe('strict-json-schema');
    expect(allRequired.addedNulls).toBeUndefined();
    // An optional `$ref` property (nulled as anyOf [ref, null]) counts as well.
    expect(compileSchema(schemaCorpus.definitionsWithRef!, 'openai').addedNulls).toEqual([
      '/properties/discount',
    ]);
  });

  it('keeps $defs and recursion, rewrites draft-07 definitions, and nulls optional references', () => {
    const money = compileSchema(schemaCorpus.definitionsWithRef!, 'openai');
    expect(money.mode).toBe('strict-json-schema');
    expect(money.schema?.$defs).toHaveProperty('money');
    expect((money.schema!.properties as SchemaNode).discount).toEqual({
      anyOf: [{ $ref: '#/$defs/money' }, { type: 'null' }],
    });
    const answer = JSON.stringify({ price: { amount: 1, currency: 'EUR' }, discount: null });
    expect(JSON.parse(stripAddedNulls(answer, money))).toEqual({
      price: { amount: 1, currency: 'EUR' },
    });

    const tags = compileSchema(schemaCorpus.draft07Definitions!, 'openai');
    expect(tags.schema?.$defs).toEqual({ tag: { type: 'string' } });
    expect(JSON.stringify(tags.schema)).toContain('#/$defs/tag');
    expect(tags.warnings.some((warning) => warning.includes('maxLength'))).toBe(true);
    expect(tags.warnings.some((warning) => warning.includes('uniqueItems'))).toBe(true);

    const tree = compileSchema(schemaCorpus.recursion!, 'openai');
    expect(tree.mode).toBe('strict-json-schema');
    expect(JSON.stringify(tree.schema)).toContain('"$ref":"#/$defs/node"');
  });

  it('reports dropped constraints and keeps the supported ones', () => {
    const compiled = compileSchema(schemaCorpus.formatsAndPatterns!, 'openai');
    const properties = compiled.schema!.properties as Record<string, SchemaNode>;
    expect(properties.email).toEqual({ type: 'string', format: 'email' });
    expect(properties.website).toEqual({ type: 'string' });
    expect(properties.code).toEqual({ type: 'string', pattern: '^[A-Z]{3}$' });
    expect(compiled.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/properties/website: "format: uri"'),
        expect.stringContaining('/properties/code: "minLength"'),
      ]),
    );
  });

  it('maps oneOf to anyOf, const to enum, and merges allOf of objects', () => {
    const unions = compileSchema(schemaCorpus.unions!, 'openai');
    expect((unions.schema!.properties as Record<string, SchemaNode>).shape).toHaveProperty('anyOf');
    expect(unions.warnings.some((warning) => warning.includes('oneOf'))).toBe(true);
    const enums = compileSchema(schemaCorpus.enums!, 'openai');
    expect((enums.schema!.properties as Record<string, SchemaNode>).level).toEqual({ enum: [3] });
    const merged = compileSchema(schemaCorpus.allOfObjects!, 'openai');
    expect(merged.mode).toBe('strict-json-schema');
    expect(merged.schema?.required).toEqual(['a', 'b']);
    expect((merged.schema!.properties as Record<string, SchemaNode>).b).toEqual({ type: ['number', 'null'] });
  });

  it.each(['freeFormMap', 'topLevelArray'])('%s falls back to JSON mode with a reason', (name) => {
    const compiled = compileSchema(schemaCorpus[name]!, 'openai');
    expect(compiled.mode).toBe('json-mode');
    expect(compiled.schema).toBeUndefined();
    expect(compiled.warnings[0]).toMatch(/JSON mode/);
  });
});

describe('anthropic tool compilation', () => {
  it.each(Object.entries(schemaCorpus))('%s: the tool input schema is an object', (_name, schema) => {
    const compiled = compileSchema(schema, 'anthropic');
    expect(compiled.mode).toBe('tool');
    expect(compiled.schema?.type).toBe('object');
    expect(compiled.schema).not.toHaveProperty('$schema');
    expect(() => ajv.compile(compiled.schema!)).not.toThrow();
  });

  it('wraps a non-object top level and keeps definitions resolvable', () => {
    const compiled = compileSchema(schemaCorpus.topLevelArray!, 'anthropic');
    expect(compiled.wrappedIn).toBe('value');
    expect(validates(compiled.schema!, { value: ['a'] })).toBe(true);
    expect(compileSchema(schemaCorpus.recursion!, 'anthropic').schema?.$defs).toHaveProperty('node');
  });
});

describe('gemini response schema compilation', () => {
  it.each(Object.entries(schemaCorpus))(
    '%s: no references or unsupported keywords remain',
    (_name, schema) => {
      const compiled = compileSchema(schema, 'gemini');
      for (const [path, node] of nodes(compiled.schema)) {
        if (path.endsWith('/properties')) continue;
        for (const keyword of [
          '$ref',
          '$defs',
          'pattern',
          'maxLength',
          'minItems',
          'oneOf',
          'allOf',
          'const',
          'uniqueItems',
        ]) {
          expect(node, `${path} ${keyword}`).not.toHaveProperty(keyword);
        }
        if (node.additionalProperties !== undefined) expect(node.additionalProperties).toBe(false);
      }
    },
  );

  it('inlines references, unrolls recursion a few levels and reports what it dropped', () => {
    const compiled = compileSchema(schemaCorpus.recursion!, 'gemini');
    expect(compiled.mode).toBe('response-schema');
    const depth = JSON.stringify(compiled.schema).split('"children":{').length - 1;
    expect(depth).toBe(3);
    expect(compiled.warnings.some((warning) => warning.includes('unrolled'))).toBe(true);
    const formats = compileSchema(schemaCorpus.formatsAndPatterns!, 'gemini');
    const properties = formats.schema!.properties as Record<string, SchemaNode>;
    expect(properties.when).toEqual({ type: 'string', format: 'date-time' });
    expect(properties.email).toEqual({ type: 'string' });
    expect(formats.warnings.some((warning) => warning.includes('pattern'))).toBe(true);
  });

  it('drops enums of mixed types rather than sending what Gemini rejects', () => {
    const compiled = compileSchema({ type: 'object', properties: { x: { enum: ['a', 1] } } }, 'gemini');
    expect((compiled.schema!.properties as Record<string, SchemaNode>).x).toEqual({});
    expect(compiled.warnings[0]).toMatch(/mixed value types/);
  });
});

describe('local grammar compilation', () => {
  it.each(Object.entries(schemaCorpus))(
    '%s: every string and array is capped and no reference remains',
    (_name, schema) => {
      const compiled = compileSchema(schema, 'local');
      expect(compiled.mode).toBe('grammar');
      for (const [path, node] of nodes(compiled.schema)) {
        expect(node, path).not.toHaveProperty('$ref');
        expect(node, path).not.toHaveProperty('anyOf');
        if (node.type === 'string' && node.format === undefined) {
          expect(node.maxLength, path).toBeLessThanOrEqual(defaultGrammarCaps.maxStringLength);
        }
        if (node.type === 'array')
          expect(node.maxItems, path).toBeLessThanOrEqual(defaultGrammarCaps.maxArrayItems);
        expect(Array.isArray(node.type), path).toBe(false);
      }
    },
  );

  it('keeps a smaller maxLength and minimums, and cuts recursion with an empty array', () => {
    const tags = compileSchema(schemaCorpus.draft07Definitions!, 'local');
    expect((tags.schema!.properties as Record<string, SchemaNode>).tags).toMatchObject({
      type: 'array',
      maxItems: 8,
      items: { type: 'string', maxLength: 10 },
    });
    const tree = compileSchema(schemaCorpus.recursion!, 'local', { ...defaultGrammarCaps, maxRecursion: 1 });
    const node = (tree.schema!.properties as Record<string, SchemaNode>).tree as SchemaNode;
    expect((node.properties as Record<string, SchemaNode>).children).toMatchObject({
      type: 'array',
      maxItems: 0,
    });
    const arrays = compileSchema(schemaCorpus.arrayOfObjects!, 'local');
    expect((arrays.schema!.properties as Record<string, SchemaNode>).entities).toMatchObject({
      minItems: 1,
      maxItems: 8,
    });
  });
});

describe('schemas as people write them, for every target', () => {
  const targets = ['openai', 'anthropic', 'gemini', 'local'] as const;

  it('falls back to JSON mode when a required property has no schema, instead of an unsatisfiable strict one', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name', 'id'],
    };
    const compiled = compileSchema(schema, 'openai');
    expect(compiled.mode).toBe('json-mode');
    expect(compiled.warnings).toEqual([
      expect.stringContaining('"id" is required but has no schema under properties'),
    ]);
    // Nested objects too.
    const nested = {
      type: 'object',
      properties: { a: { type: 'object', properties: { y: { type: 'string' } }, required: ['x'] } },
      required: ['a'],
    };
    expect(compileSchema(nested, 'openai').warnings[0]).toContain('/properties/a: "x" is required');
  });

  it('falls back to JSON mode for references by $id or anchor, which strict mode cannot follow', () => {
    const bundle: JsonSchema = {
      $id: 'https://example.com/order.json',
      type: 'object',
      properties: { item: { $ref: 'item.json' } },
      required: ['item'],
      $defs: { item: { $id: 'item.json', type: 'string' } },
    };
    const compiled = compileSchema(bundle, 'openai');
    expect(compiled.mode).toBe('json-mode');
    expect(compiled.warnings[0]).toContain('/properties/item refers to "item.json" by $id or anchor');
    for (const target of targets) expect(() => compileSchema(bundle, target), target).not.toThrow();
  });

  it('sends draft-04 exclusive bounds as numbers and tuple items as prefixItems', () => {
    const draft04: JsonSchema = {
      $schema: 'http://json-schema.org/draft-04/schema#',
      id: 'http://example.com/order',
      type: 'object',
      properties: {
        price: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 100, exclusiveMaximum: false },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
      },
      required: ['price', 'pair'],
    };
    const { pair: _tuple, ...price } = (draft04 as { properties: SchemaNode }).properties;
    const openai = compileSchema(
      { ...(draft04 as SchemaNode), properties: price, required: ['price'] },
      'openai',
    );
    expect((openai.schema!.properties as Record<string, SchemaNode>).price).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 100,
    });
    expect(openai.warnings.join()).not.toContain('"id"');
    const anthropic = compileSchema(draft04, 'anthropic');
    expect((anthropic.schema!.properties as Record<string, SchemaNode>).pair).toEqual({
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'integer' }],
      items: false,
    });
    expect(validates(anthropic.schema!, { price: 1, pair: ['a', 1] })).toBe(true);
    expect(validates(anthropic.schema!, { price: 0, pair: ['a', 1] })).toBe(false);
    expect(validates(anthropic.schema!, { price: 1, pair: ['a', 1, 2] })).toBe(false);
  });

  it.each([true, false, { type: 'object', properties: { any: true, none: false } }] as JsonSchema[])(
    'compiles the boolean schema or subschemas in %j for every target',
    (schema) => {
      for (const target of targets) expect(() => compileSchema(schema, target), target).not.toThrow();
      expect(compileSchema(schema, 'openai').mode).toBe('json-mode');
      expect(compileSchema(schema, 'anthropic').schema?.type).toBe('object');
    },
  );
});
