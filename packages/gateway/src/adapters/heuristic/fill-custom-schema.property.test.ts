import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../spec/json-schema.ts';
import { loadLanguageDetector } from '../../text/language-detector.ts';
import { analyzePrompt } from './analyze-prompt.ts';
import { fillCustomSchema } from './fill-custom-schema.ts';

const addFormats = formatsModule.default;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const now = new Date('2026-01-01T12:00:00Z');
const languageDetector = await loadLanguageDetector();

// Names the filler understands, mixed with names it does not.
const propertyName = fc.constantFrom(
  'email',
  'contact_email',
  'phone',
  'website',
  'date',
  'start_date',
  'time',
  'amount',
  'price',
  'currency',
  'discount_percent',
  'name',
  'customer',
  'company',
  'city',
  'destination',
  'guests',
  'quantity',
  'language',
  'target_language',
  'intent',
  'subject',
  'summary',
  'description',
  'is_question',
  'urgent',
  'tags',
  'entities',
  'order_id',
  'zzz',
  'payload',
);

// Only satisfiable schemas: a format never comes with length bounds, ranges always contain a value.
const stringSchema = fc.oneof(
  fc.record({
    type: fc.constant('string'),
    format: fc.constantFrom('date', 'date-time', 'email', 'uri', 'uuid', 'time'),
  }),
  fc
    .record({ minLength: fc.integer({ min: 0, max: 5 }), extra: fc.integer({ min: 0, max: 40 }) })
    .map(({ minLength, extra }) => ({ type: 'string', minLength, maxLength: minLength + extra })),
  fc.constant({ type: 'string' }),
);
const numberSchema = fc
  .record({
    type: fc.constantFrom('number', 'integer'),
    low: fc.integer({ min: -100, max: 100 }),
    span: fc.integer({ min: 10, max: 1000 }),
    multipleOf: fc.constantFrom(undefined, 1, 2, 5),
    exclusive: fc.boolean(),
  })
  .map(({ type, low, span, multipleOf, exclusive }) => ({
    type,
    ...(exclusive ? { exclusiveMinimum: low } : { minimum: low }),
    maximum: low + span,
    ...(multipleOf ? { multipleOf } : {}),
  }));
const leafSchema = fc.oneof(
  stringSchema,
  numberSchema,
  fc.constant({ type: 'boolean' }),
  fc.constant({ type: ['string', 'null'] }),
  fc
    .uniqueArray(fc.constantFrom('low', 'urgent', 'translate', 'other', 'fr', 'table'), {
      minLength: 1,
      maxLength: 4,
    })
    .map((members) => ({ enum: members })),
  fc.constant({ const: 'fixed' }),
  fc.record({ type: fc.constant('array'), items: stringSchema, minItems: fc.integer({ min: 0, max: 2 }) }),
);
const objectOf = (values: fc.Arbitrary<unknown>) =>
  fc.dictionary(propertyName, values, { maxKeys: 6 }).chain((properties) =>
    fc.record({
      type: fc.constant('object'),
      properties: fc.constant(properties),
      required: fc.subarray(Object.keys(properties)),
      additionalProperties: fc.boolean(),
    }),
  );
const schemaArbitrary = objectOf(
  fc.oneof({ weight: 4, arbitrary: leafSchema }, { weight: 1, arbitrary: objectOf(leafSchema) }),
);

const prompt = fc.oneof(
  fc.constantFrom(
    'Book a table for 4 in Chicago next Friday at 7pm for Michelle Obama, contact michelle@example.com',
    'Translate "Hello World" to French urgently',
    'Refund €1,234.56 to billing@acme.io by 2026-03-12, 15% discount, see https://acme.io/orders/9',
    '会議を2026年3月3日10時に変更してください',
    '',
  ),
  fc.string({ maxLength: 120 }),
);

describe('fillCustomSchema (property)', () => {
  it('always produces a value that validates against any satisfiable schema', () => {
    fc.assert(
      fc.property(schemaArbitrary, prompt, (schema, text) => {
        const { analysis, spans } = analyzePrompt(text, { now, languageDetector });
        const result = fillCustomSchema(schema as JsonSchema, { prompt: text, analysis, spans });
        const valid = ajv.validate(schema, result.value);
        expect(valid, `${JSON.stringify(result.value)}\n${JSON.stringify(ajv.errors)}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever the schema', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), prompt, (schema, text) => {
        const { analysis, spans } = analyzePrompt(text, { now, languageDetector });
        expect(() => fillCustomSchema(schema as JsonSchema, { prompt: text, analysis, spans })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
