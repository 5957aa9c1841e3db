import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../spec/json-schema.ts';
import { compileSchema, stripAddedNulls } from './index.ts';

const ajv = new Ajv2020({ strict: false, allErrors: true });

/** Compiles for strict OpenAI, checks the answer fits the strict schema, and strips the added nulls. */
function strictRoundTrip(schema: JsonSchema, answer: unknown): unknown {
  const compiled = compileSchema(schema, 'openai');
  expect(compiled.mode).toBe('strict-json-schema');
  expect(ajv.validate(compiled.schema!, answer), JSON.stringify(ajv.errors)).toBe(true);
  return JSON.parse(stripAddedNulls(JSON.stringify(answer), compiled));
}

const pets: JsonSchema = {
  type: 'object',
  properties: {
    pet: {
      anyOf: [
        {
          type: 'object',
          properties: { kind: { const: 'cat' }, lives: { type: 'integer' }, name: { type: 'string' } },
          required: ['kind'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: { kind: { const: 'dog' }, breed: { type: 'string' }, name: { type: 'string' } },
          required: ['kind', 'name'],
          additionalProperties: false,
        },
      ],
    },
  },
  required: ['pet'],
  additionalProperties: false,
};

describe('stripAddedNulls', () => {
  it('removes the nulls added to optional properties inside the anyOf branch the answer took', () => {
    const cat = strictRoundTrip(pets, { pet: { kind: 'cat', lives: null, name: null } });
    expect(cat).toEqual({ pet: { kind: 'cat' } });
    expect(ajv.validate(pets as object, cat)).toBe(true);
    // `name` is required in the dog branch, so a null there is the model's and stays (and fails).
    const dog = strictRoundTrip(pets, { pet: { kind: 'dog', breed: null, name: 'Rex' } });
    expect(dog).toEqual({ pet: { kind: 'dog', name: 'Rex' } });
  });

  it('does the same for oneOf, sent to the model as anyOf', () => {
    const schema = JSON.parse(JSON.stringify(pets).replace('"anyOf"', '"oneOf"')) as JsonSchema;
    const answer = strictRoundTrip(schema, { pet: { kind: 'dog', breed: null, name: 'Rex' } });
    expect(answer).toEqual({ pet: { kind: 'dog', name: 'Rex' } });
    expect(ajv.validate(schema as object, answer)).toBe(true);
  });

  it('keeps a null the original schema allows, at the top, in a branch, and behind a $ref', () => {
    const schema: JsonSchema = {
      type: 'object',
      $defs: { maybeText: { type: ['string', 'null'] } },
      properties: {
        note: { type: ['string', 'null'] },
        alias: { $ref: '#/$defs/maybeText' },
        choice: {
          anyOf: [
            {
              type: 'object',
              properties: { a: { type: 'integer' }, b: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
            },
            { type: 'string' },
          ],
        },
      },
      required: ['choice'],
    };
    const answer = strictRoundTrip(schema, { note: null, alias: null, choice: { a: null, b: null } });
    expect(answer).toEqual({ note: null, alias: null, choice: { b: null } });
    expect(ajv.validate(schema as object, answer)).toBe(true);
  });

  it('removes nulls only at the places the compiler made nullable', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { name: { type: 'string' }, nick: { type: 'string' } },
      required: ['name'],
    };
    const compiled = compileSchema(schema, 'openai');
    expect(compiled.addedNulls).toEqual(['/properties/nick']);
    // A required property's null is the model's mistake: validation must see it.
    const text = JSON.stringify({ name: null, nick: null });
    expect(JSON.parse(stripAddedNulls(text, compiled))).toEqual({ name: null });
  });

  it('follows items and $defs references, and leaves unparseable text alone', () => {
    const schema: JsonSchema = {
      type: 'object',
      $defs: {
        item: {
          type: 'object',
          properties: { id: { type: 'integer' }, tag: { type: 'string' } },
          required: ['id'],
        },
      },
      properties: { items: { type: 'array', items: { $ref: '#/$defs/item' } } },
      required: ['items'],
    };
    const answer = strictRoundTrip(schema, {
      items: [
        { id: 1, tag: null },
        { id: 2, tag: 'x' },
      ],
    });
    expect(answer).toEqual({ items: [{ id: 1 }, { id: 2, tag: 'x' }] });
    expect(stripAddedNulls('{"items": [', compileSchema(schema, 'openai'))).toBe('{"items": [');
  });
});
