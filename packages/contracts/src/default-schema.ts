/**
 * The output schema used when a request brings none (DESIGN.md §4). Kept as plain JSON Schema
 * (draft 2020-12) because it is sent to models and shown to users as is.
 */
export const intentTaxonomy = [
  'translate',
  'summarize',
  'question',
  'search',
  'book',
  'buy',
  'create',
  'schedule',
  'compare',
  'explain',
  'convert',
  'calculate',
  'classify',
  'extract',
  'other',
] as const;
export type Intent = (typeof intentTaxonomy)[number];

export const entityTypes = [
  'person',
  'place',
  'organization',
  'date',
  'time',
  'number',
  'money',
  'percentage',
  'email',
  'url',
  'phone',
  'quote',
  'language',
  'product',
  'other',
] as const;

export const defaultOutputSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'PromptAnalysis',
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'subject', 'entities', 'output_format', 'original_language'],
  properties: {
    intent: { type: 'string', enum: [...intentTaxonomy], description: 'What the user wants done' },
    subject: { type: 'string', description: 'What the request is about, in a few words' },
    entities: {
      type: 'array',
      description: 'Named things mentioned in the prompt',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'value'],
        properties: {
          type: { type: 'string', enum: [...entityTypes] },
          value: { type: 'string' },
        },
      },
    },
    output_format: {
      type: 'string',
      enum: ['text', 'list', 'table', 'json', 'code', 'number', 'boolean', 'other'],
      description: 'Shape of the answer the user asked for',
    },
    original_language: { type: 'string', description: 'ISO 639-1 code of the prompt language, e.g. "en"' },
  },
} as const;

export interface PromptAnalysis {
  intent: Intent;
  subject: string;
  entities: Array<{ type: (typeof entityTypes)[number]; value: string }>;
  output_format: 'text' | 'list' | 'table' | 'json' | 'code' | 'number' | 'boolean' | 'other';
  original_language: string;
}
