/** Example answers of the schema registry, shown in the OpenAPI document. */

const invoiceSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['invoice_number', 'total'],
  properties: { invoice_number: { type: 'string', minLength: 3 }, total: { type: 'number' } },
};

export const summaryExample = {
  id: '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f',
  name: 'acme-invoice',
  description: 'Invoices from our suppliers',
  visibility: 'private',
  tags: ['finance'],
  library: false,
  owner: '0190a5c4-0000-7c3d-9f00-5a1b2c3d4e5f',
  latest_version: '1.0.0',
  created_at: '2024-05-01T10:00:00.000Z',
  updated_at: '2024-05-01T10:00:00.000Z',
  deleted_at: null,
};

export const versionExample = {
  schema_id: summaryExample.id,
  name: summaryExample.name,
  version: '1.0.0',
  description: null,
  schema: invoiceSchema,
  examples: [{ prompt: 'Invoice INV-7 over 120.50 EUR', output: { invoice_number: 'INV-7', total: 120.5 } }],
  changes: [],
  created_by: summaryExample.owner,
  created_at: summaryExample.created_at,
  preflight: [
    {
      target: 'openai',
      providers: ['openai'],
      compiles: true,
      mode: 'strict-json-schema',
      warnings: [
        'openai: /properties/invoice_number: "minLength" is not enforced by openai; checked after generation',
      ],
    },
    { target: 'anthropic', providers: ['anthropic'], compiles: true, mode: 'tool', warnings: [] },
  ],
};

export const publishedExample = {
  ...versionExample,
  version: '2.0.0',
  description: 'Currency is now always given',
  changes: [
    { path: '/properties/currency', level: 'minor', message: 'property "currency" added' },
    { path: '/required', level: 'major', message: '"currency" is now required' },
  ],
  proposed_version: '2.0.0',
  published: true,
};

/** An analyze answer that satisfied a registered schema version. */
export const answerWithSchemaExample = {
  request_id: '01a2389f-6a02-7d19-8c5e-7b3f0e2a9c61',
  data: {
    invoice_number: 'INV-2024-118',
    vendor: 'Acme GmbH',
    currency: 'EUR',
    total: 142.8,
    line_items: [],
  },
  validation: { status: 'passed', errors: [], attempts: 1 },
  confidence: 0.92,
  language: 'en',
  provider: 'openai',
  model: 'gpt-4o-mini',
  cached: false,
  coalesced: false,
  failed_attempts: [],
  usage: { prompt_tokens: 412, completion_tokens: 58, total_tokens: 470, cost_usd: 0.000097 },
  timing: { total_ms: 1290.5, llm_ms: 1244 },
  warnings: [],
  schema_used: {
    id: '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f',
    name: 'invoice-extraction',
    version: '1.0.0',
  },
};

/** Requests shown in the API reference: a prompt, an inline schema, a registered schema, a template. */
export const analyzeRequestExamples = [
  { prompt: 'Translate Hello World to French' },
  {
    prompt: 'Book a table for 4 at Chez Paul tomorrow at 8pm',
    schema: {
      type: 'object',
      required: ['restaurant', 'party_size'],
      properties: {
        restaurant: { type: 'string' },
        party_size: { type: 'integer', minimum: 1 },
        time: { type: 'string' },
      },
    },
    options: { validation: 'strict', max_repair_attempts: 2 },
  },
  {
    prompt: 'Invoice INV-2024-118 from Acme GmbH, dated 2024-03-02: 3 licences at 40 EUR, total 142.80 EUR',
    schema_id: 'invoice-extraction@1.0.0',
  },
  {
    template_id: 'invoice-extraction@1.0.0',
    parameters: { text: 'Invoice 2026-042 from ACME GmbH, total 1,190.00 EUR incl. 19% VAT, due 31 Jan' },
  },
];

/** An answer of the offline analyzer to the simplest request. */
export const heuristicAnswerExample = {
  request_id: '01a2389f-5c11-7e3a-9b4d-2f6c1a8e0d47',
  data: {
    intent: 'translate',
    subject: 'Hello World',
    entities: [{ type: 'language', value: 'French' }],
    output_format: 'text',
    original_language: 'en',
  },
  validation: { status: 'passed', errors: [], attempts: 1 },
  confidence: 0.5,
  language: 'en',
  provider: 'heuristic',
  model: 'heuristic-v1',
  cached: false,
  coalesced: false,
  failed_attempts: [],
  usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost_usd: 0 },
  timing: { total_ms: 4.2, llm_ms: 1.3 },
  warnings: [],
};
