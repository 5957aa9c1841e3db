import { type Static, Type } from 'typebox';

/** What a declared template parameter may hold; checked before every render. */
export const TemplateParameterType = Type.Union(
  [
    Type.Literal('string'),
    Type.Literal('number'),
    Type.Literal('integer'),
    Type.Literal('boolean'),
    Type.Literal('array'),
    Type.Literal('object'),
  ],
  { default: 'string' },
);
export type TemplateParameterType = Static<typeof TemplateParameterType>;

export const TemplateParameter = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', description: 'Variable name in the text' }),
    type: Type.Optional(TemplateParameterType),
    required: Type.Optional(Type.Boolean({ default: false })),
    default: Type.Optional(Type.Unknown({ description: 'Used when the caller leaves the parameter out' })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TemplateParameter = Static<typeof TemplateParameter>;

export const TemplateSchemaRef = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200, description: 'Id or name in the schema registry' }),
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Absent: the latest' })),
  },
  { additionalProperties: false },
);
export type TemplateSchemaRef = Static<typeof TemplateSchemaRef>;

export const TemplateDefaults = Type.Object(
  {
    provider: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
  },
  {
    additionalProperties: false,
    description: 'Analyze options used when the request does not set them',
  },
);
export type TemplateDefaults = Static<typeof TemplateDefaults>;

export const TemplateVisibility = Type.Union([Type.Literal('private'), Type.Literal('public')], {
  description: '`private`: the owner key and admins only. `public`: every key may read and use it.',
});
export type TemplateVisibility = Static<typeof TemplateVisibility>;

const semverPattern = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$';
const templateName = Type.String({
  pattern: '^[a-z0-9][a-z0-9_.-]{0,99}$',
  description: 'Unique among live templates; lower case, digits, `_`, `.` and `-`',
  examples: ['invoice-extraction'],
});

/** The versioned part: a change of any of these publishes a new immutable version. */
const versionContent = {
  template: Type.String({
    minLength: 1,
    maxLength: 20_000,
    description: 'Liquid text with `{{ variables }}`; strict: unknown variables and filters are errors',
  }),
  parameters: Type.Optional(Type.Array(TemplateParameter, { maxItems: 50 })),
  schema: Type.Optional(Type.Union([TemplateSchemaRef, Type.Null()])),
  defaults: Type.Optional(TemplateDefaults),
};

const invoiceExample = {
  name: 'invoice-summary',
  description: 'Pull the key fields out of an invoice text',
  visibility: 'private',
  tags: ['finance'],
  template: 'Extract the invoice fields from this {{ document_type }}:\n\n{{ text }}',
  parameters: [
    { name: 'text', type: 'string', required: true, description: 'The invoice text' },
    { name: 'document_type', type: 'string', default: 'invoice' },
  ],
  schema: { id: 'invoice', version: '1.0.0' },
  defaults: { temperature: 0 },
};

export const CreateTemplateRequest = Type.Object(
  {
    name: templateName,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    visibility: Type.Optional(TemplateVisibility),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 })),
    ...versionContent,
    version: Type.Optional(Type.String({ pattern: semverPattern, description: 'Default: 1.0.0' })),
  },
  { additionalProperties: false, examples: [invoiceExample] },
);
export type CreateTemplateRequest = Static<typeof CreateTemplateRequest>;

export const UpdateTemplateRequest = Type.Object(
  {
    name: Type.Optional(templateName),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    visibility: Type.Optional(TemplateVisibility),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 })),
    template: Type.Optional(versionContent.template),
    parameters: versionContent.parameters,
    schema: versionContent.schema,
    defaults: versionContent.defaults,
    version: Type.Optional(
      Type.String({
        pattern: semverPattern,
        description: 'Version of the new content; default: proposed from the change (see docs/templates.md)',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Metadata changes apply in place. A change of `template`, `parameters`, `schema` or `defaults` ' +
      'publishes a new immutable version.',
    examples: [{ description: 'Now with the currency' }, { template: 'Extract the fields of:\n{{ text }}' }],
  },
);
export type UpdateTemplateRequest = Static<typeof UpdateTemplateRequest>;

const versionExample = {
  version: '1.0.0',
  template: invoiceExample.template,
  parameters: invoiceExample.parameters,
  schema: invoiceExample.schema,
  defaults: invoiceExample.defaults,
  created_at: '2026-12-01T09:30:00.000Z',
};

export const TemplateVersion = Type.Object(
  {
    version: Type.String({ examples: ['1.0.0'] }),
    template: Type.String(),
    parameters: Type.Array(TemplateParameter),
    schema: Type.Union([TemplateSchemaRef, Type.Null()]),
    defaults: TemplateDefaults,
    created_at: Type.String({ format: 'date-time' }),
  },
  { examples: [versionExample] },
);
export type TemplateVersion = Static<typeof TemplateVersion>;

export const Template = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    visibility: TemplateVisibility,
    tags: Type.Array(Type.String()),
    owner: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'Key id of the owner; null for the built-in library',
    }),
    library: Type.Boolean({ description: 'Part of the built-in template library' }),
    latest_version: Type.String(),
    latest: TemplateVersion,
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  {
    examples: [
      {
        id: '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f',
        name: invoiceExample.name,
        description: invoiceExample.description,
        visibility: 'private',
        tags: invoiceExample.tags,
        owner: '0190a5c2-11aa-7b2c-8d3e-4f5a6b7c8d9e',
        library: false,
        latest_version: '1.0.0',
        latest: versionExample,
        created_at: '2026-12-01T09:30:00.000Z',
        updated_at: '2026-12-01T09:30:00.000Z',
      },
    ],
  },
);
export type Template = Static<typeof Template>;

export const TemplateList = Type.Object({
  items: Type.Array(Template),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const TemplateVersionList = Type.Object({ items: Type.Array(TemplateVersion) });

export const TemplateListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'In name or description' })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  visibility: Type.Optional(TemplateVisibility),
  owner: Type.Optional(
    Type.Union([Type.Literal('me'), Type.Literal('library')], {
      description: '`me`: the calling key’s own; `library`: the built-in ones',
    }),
  ),
});
export type TemplateListQuery = Static<typeof TemplateListQuery>;

export const TemplateRefParams = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 160,
    description: 'Template id or name, optionally `@version` (render only)',
    examples: ['invoice-extraction', 'invoice-extraction@1.0.0'],
  }),
});

export const TemplateVersionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 120 }),
  version: Type.String({ pattern: semverPattern }),
});

export const RenderTemplateRequest = Type.Object(
  {
    parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  {
    additionalProperties: false,
    examples: [{ parameters: { text: 'Invoice 42 from ACME, total 99.50 EUR, due 2026-01-31' } }],
  },
);
export type RenderTemplateRequest = Static<typeof RenderTemplateRequest>;

/** Which template version produced a prompt, in render and analyze answers. */
export const TemplateUse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  version: Type.String(),
});
export type TemplateUse = Static<typeof TemplateUse>;

export const RenderTemplateResponse = Type.Object(
  {
    template: TemplateUse,
    prompt: Type.String({ description: 'The rendered prompt; no provider was called' }),
    schema: Type.Union([TemplateSchemaRef, Type.Null()]),
    defaults: TemplateDefaults,
  },
  {
    examples: [
      {
        template: { id: '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f', name: 'invoice-summary', version: '1.0.0' },
        prompt: 'Extract the invoice fields from this invoice:\n\nInvoice 42 from ACME, total 99.50 EUR',
        schema: { id: 'invoice', version: '1.0.0' },
        defaults: { temperature: 0 },
      },
    ],
  },
);
export type RenderTemplateResponse = Static<typeof RenderTemplateResponse>;
