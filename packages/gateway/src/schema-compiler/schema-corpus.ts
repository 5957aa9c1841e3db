import type { JsonSchema } from '../spec/json-schema.ts';

/** A varied corpus of canonical schemas the compiler tests run every target against. */
export const schemaCorpus: Record<string, JsonSchema> = {
  flat: {
    type: 'object',
    properties: { intent: { type: 'string' }, count: { type: 'integer', minimum: 0 } },
    required: ['intent', 'count'],
  },
  optionalFields: {
    type: 'object',
    properties: { name: { type: 'string' }, nickname: { type: 'string' }, age: { type: 'integer' } },
    required: ['name'],
  },
  nestedObjects: {
    type: 'object',
    properties: {
      person: {
        type: 'object',
        properties: {
          address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
        required: ['address'],
      },
    },
    required: ['person'],
  },
  arrayOfObjects: {
    type: 'object',
    properties: {
      entities: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: {
          type: 'object',
          properties: { type: { type: 'string' }, value: { type: 'string' } },
          required: ['type', 'value'],
        },
      },
    },
    required: ['entities'],
  },
  enums: {
    type: 'object',
    properties: {
      color: { enum: ['red', 'green'] },
      status: { type: 'string', enum: ['open', 'closed'] },
      level: { const: 3 },
    },
    required: ['color', 'status', 'level'],
  },
  unions: {
    type: 'object',
    properties: {
      value: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      shape: {
        oneOf: [
          { type: 'object', properties: { radius: { type: 'number' } }, required: ['radius'] },
          { type: 'object', properties: { side: { type: 'number' } }, required: ['side'] },
        ],
      },
      maybe: { type: ['string', 'null'] },
    },
    required: ['value', 'shape', 'maybe'],
  },
  formatsAndPatterns: {
    type: 'object',
    properties: {
      email: { type: 'string', format: 'email' },
      website: { type: 'string', format: 'uri' },
      when: { type: 'string', format: 'date-time' },
      code: { type: 'string', pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3 },
    },
    required: ['email', 'website', 'when', 'code'],
  },
  definitionsWithRef: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    $defs: {
      money: {
        type: 'object',
        properties: { amount: { type: 'number' }, currency: { type: 'string' } },
        required: ['amount', 'currency'],
      },
    },
    properties: { price: { $ref: '#/$defs/money' }, discount: { $ref: '#/$defs/money' } },
    required: ['price'],
  },
  draft07Definitions: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    definitions: { tag: { type: 'string', maxLength: 10 } },
    properties: { tags: { type: 'array', items: { $ref: '#/definitions/tag' }, uniqueItems: true } },
    required: ['tags'],
  },
  recursion: {
    type: 'object',
    $defs: {
      node: {
        type: 'object',
        properties: {
          label: { type: 'string' },
          children: { type: 'array', items: { $ref: '#/$defs/node' } },
        },
        required: ['label', 'children'],
      },
    },
    properties: { tree: { $ref: '#/$defs/node' } },
    required: ['tree'],
  },
  freeFormMap: {
    type: 'object',
    properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } },
    required: ['labels'],
  },
  topLevelArray: { type: 'array', items: { type: 'string' } },
  allOfObjects: {
    allOf: [
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
      { type: 'object', properties: { b: { type: 'number' } } },
    ],
  },
};
