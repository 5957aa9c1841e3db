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
