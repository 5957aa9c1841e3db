import { defaultOutputSchema } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../spec/json-schema.ts';
import { toCurrentDraft } from './current-draft.ts';
import { schemaCorpus } from './schema-corpus.ts';

describe('toCurrentDraft', () => {
  it.each(Object.entries({ ...schemaCorpus, default: defaultOutputSchema as JsonSchema }))(
    '%s comes back equal: it uses no older-draft form',
    (_name, schema) => {
      expect(toCurrentDraft(schema)).toEqual(schema);
    },
  );

  it('rewrites older-draft forms wherever a subschema sits, and never touches data', () => {
    const schema: JsonSchema = {
      id: 'http://example.com/root',
      properties: {
        id: { type: 'string' },
        size: {
          anyOf: [
            { minimum: 1, exclusiveMinimum: true },
            { maximum: 0, exclusiveMaximum: false },
          ],
        },
      },
      definitions: { pair: { items: [true, { type: 'string' }], additionalItems: { type: 'number' } } },
      const: { items: [1], exclusiveMinimum: true },
    };
    expect(toCurrentDraft(schema)).toEqual({
      properties: {
        id: { type: 'string' },
        size: { anyOf: [{ exclusiveMinimum: 1 }, { maximum: 0 }] },
      },
      definitions: { pair: { prefixItems: [true, { type: 'string' }], items: { type: 'number' } } },
      const: { items: [1], exclusiveMinimum: true },
    });
  });
});
