import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../spec/json-schema.ts';
import { loadLanguageDetector } from '../../text/language-detector.ts';
import { analyzePrompt } from './analyze-prompt.ts';
import { fillCustomSchema } from './fill-custom-schema.ts';

const now = new Date('2026-01-01T12:00:00Z');
const languageDetector = await loadLanguageDetector();
const ajv = new Ajv2020({ strict: false, allErrors: true });

function fill(prompt: string, schema: JsonSchema) {
  const { analysis, spans } = analyzePrompt(prompt, { now, languageDetector });
  return fillCustomSchema(schema, { prompt, analysis, spans });
}

describe('fillCustomSchema', () => {
  it('fills properties by name from the entities the prompt contains', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['customer_name', 'email', 'date', 'time', 'city', 'guests'],
      properties: {
        customer_name: { type: 'string' },
        email: { type: 'string' },
        date: { type: 'string' },
        time: { type: 'string' },
        city: { type: 'string' },
        guests: { type: 'integer', minimum: 1 },
      },
    };
    const result = fill(
      'Book a table for 4 in Chicago next Friday at 7pm for Michelle Obama, contact michelle@example.com',
      schema,
    );
    expect(result.value).toEqual({
      customer_name: 'Michelle Obama',
      email: 'michelle@example.com',
      date: '2026-01-09',
      time: '19:00',
      city: 'Chicago',
      guests: 4,
    });
    expect(result.warnings).toEqual([]);
    expect(result).toMatchObject({ filled: 6, placeholders: 0 });
  });

  it('reads amounts and currencies as numbers and codes, the language as its code', () => {
    const result = fill('Überweise 1.250,50 € an die Firma', {
      type: 'object',
      properties: { amount: { type: 'number' }, currency: { type: 'string' }, language: { type: 'string' } },
    });
    expect(result.value).toEqual({ amount: 1250.5, currency: 'EUR', language: 'de' });
  });

  it('picks the enum member the prompt supports', () => {
    const schema = {
      type: 'object',
      required: ['intent', 'priority', 'format'],
      properties: {
        intent: { enum: ['translate', 'summarize', 'other'] },
        priority: { type: 'string', enum: ['low', 'normal', 'urgent'] },
        format: { enum: ['text', 'table'] },
      },
    };
    const result = fill('Please translate this contract urgently, as a table', schema);
    expect(result.value).toEqual({ intent: 'translate', priority: 'urgent', format: 'table' });
  });

  it('gives required unknowns a type-valid placeholder and says so; optional ones are left out', () => {
    const schema = {
      type: 'object',
      required: ['order_id', 'due', 'count', 'paid'],
      properties: {
        order_id: { type: 'string', minLength: 3 },
        due: { type: 'string', format: 'date' },
        count: { type: 'integer', minimum: 1 },
        paid: { type: 'boolean' },
        website: { type: 'string', format: 'uri' },
      },
    };
    const result = fill('Cancel my order', schema);
    expect(result.value).toEqual({ order_id: '???', due: '1970-01-01', count: 1, paid: false });
    expect(result.warnings).toEqual([
      'heuristic: /order_id not found in the prompt; a placeholder was used',
      'heuristic: /due not found in the prompt; a placeholder was used',
      'heuristic: /count not found in the prompt; a placeholder was used',
      'heuristic: /paid not found in the prompt; a placeholder was used',
      'heuristic: /website left out; nothing in the prompt matches it',
    ]);
    expect(result).toMatchObject({ filled: 0, placeholders: 4 });
  });

  it('answers null for an unknown required value when the schema allows null', () => {
    const schema = {
      type: 'object',
      required: ['tracking_code', 'weight'],
      properties: {
        tracking_code: { type: ['string', 'null'] },
        weight: { type: 'number', exclusiveMinimum: 0 },
      },
    };
    const result = fill('Where is my parcel?', schema);
    expect(result.value).toEqual({ tracking_code: null, weight: 0.000001 });
    expect(ajv.validate(schema, result.value)).toBe(true);
  });

  it('fills arrays, nested objects and local $refs, and the result validates', () => {
    const schema = {
      $defs: { contact: { type: 'object', required: ['email'], properties: { email: { type: 'string' } } } },
      type: 'object',
      required: ['emails', 'contact', 'meeting'],
      properties: {
        emails: { type: 'array', items: { type: 'string', format: 'email' }, minItems: 1 },
        contact: { $ref: '#/$defs/contact' },
        meeting: {
          type: 'object',
          required: ['date', 'attendees'],
          properties: {
            date: { type: 'string', format: 'date' },
            attendees: { type: 'array', items: { type: 'string' } },
          },
        },
        entities: {
          type: 'array',
          items: {
            type: 'object',
            properties: { type: { enum: ['email', 'person'] }, value: { type: 'string' } },
          },
        },
      },
    };
    const result = fill(
      'Invite Angela Merkel and ann@example.org, bob@example.org to a meeting on March 3',
      schema,
    );
    expect(result.value).toMatchObject({
      emails: ['ann@example.org', 'bob@example.org'],
      contact: { email: 'ann@example.org' },
      meeting: { date: '2026-03-03', attendees: ['Angela Merkel'] },
    });
    expect((result.value as { entities: unknown[] }).entities).toContainEqual({
      type: 'person',
      value: 'Angela Merkel',
    });
    expect(ajv.validate(schema, result.value), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('respects string constraints instead of inventing a value that would not validate', () => {
    const schema = {
      type: 'object',
      required: ['email'],
      properties: { email: { type: 'string', pattern: '@acme\\.io$' } },
    };
    const result = fill('Write to jane@example.com', schema);
    expect(result.warnings[0]).toContain('/email not found');
  });

  it('never throws on odd schemas', () => {
    for (const schema of [
      true,
      false,
      {},
      { type: 'string' },
      { type: ['null', 'integer'] },
      { $ref: '#/nope' },
      { anyOf: [{ type: 'null' }, { type: 'object', properties: { summary: { type: 'string' } } }] },
    ]) {
      expect(() => fill('Summarize this. It is long.', schema as JsonSchema)).not.toThrow();
    }
    expect(
      fill('Summarize this. It is long.', { type: 'object', properties: { summary: { type: 'string' } } })
        .value,
    ).toEqual({
      summary: 'Summarize this.',
    });
  });
});
