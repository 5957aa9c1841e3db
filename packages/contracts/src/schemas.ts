import { type Static, Type } from 'typebox';
import { publishedExample, summaryExample, versionExample } from './schema-examples.ts';

/** A registry reference: a schema's id or name, optionally pinned to one version with `@`. */
export const schemaRefPattern = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(@[0-9]+\\.[0-9]+\\.[0-9]+)?$';

const semverPattern = '^(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})$';
const namePattern = '^[a-z0-9][a-z0-9_.-]{0,99}$';

export const SchemaVisibility = Type.Union([Type.Literal('private'), Type.Literal('public')], {
  description: '`private`: only the owning key (and admin keys) can see and use it. `public`: every key.',
});
export type SchemaVisibility = Static<typeof SchemaVisibility>;

const Body = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Boolean()], {
  description:
    'The JSON Schema (draft-07 or 2020-12 by `$schema`; the other dialects /v1/analyze accepts work too). ' +
    'Checked like an inline schema: size, depth, no remote `$ref`, valid against its meta-schema.',
});

export const SchemaExample = Type.Object(
  {
    prompt: Type.String({ minLength: 1, maxLength: 10_000, description: 'A prompt the schema is meant for' }),
    output: Type.Unknown({ description: 'An answer to the prompt; it must validate against the schema' }),
  },
  { additionalProperties: false },
);
export type SchemaExample = Static<typeof SchemaExample>;

const Tags = Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,39}$' }), {
  maxItems: 20,
  uniqueItems: true,
  description: 'Lower-case labels for search, e.g. `finance`',
});
const Examples = Type.Array(SchemaExample, { maxItems: 10 });
const Semver = Type.String({ pattern: semverPattern, examples: ['1.0.0', '2.1.0'] });

const invoiceSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['invoice_number', 'total'],
  properties: { invoice_number: { type: 'string' }, total: { type: 'number' } },
};

export const CreateSchemaRequest = Type.Object(
  {
    name: Type.String({
      pattern: namePattern,
      description: 'Unique among live schemas; lower-case letters, digits, `_`, `.`, `-`',
    }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    schema: Body,
    visibility: Type.Optional(SchemaVisibility),
    tags: Type.Optional(Tags),
    examples: Type.Optional(Examples),
    version: Type.Optional({ ...Semver, description: 'The first version; default 1.0.0' }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'acme-invoice',
        description: 'Invoices from our suppliers',
        schema: invoiceSchema,
        visibility: 'private',
        tags: ['finance'],
        examples: [
          { prompt: 'Invoice INV-7 over 120.50 EUR', output: { invoice_number: 'INV-7', total: 120.5 } },
        ],
      },
    ],
  },
);
export type CreateSchemaRequest = Static<typeof CreateSchemaRequest>;

export const UpdateSchemaRequest = Type.Object(
  {
    description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    visibility: Type.Optional(SchemaVisibility),
    tags: Type.Optional(Tags),
  },
  {
    additionalProperties: false,
    description: 'Metadata only: a new schema body is a new version (POST …/versions)',
    examples: [{ visibility: 'public', tags: ['finance', 'invoices'] }],
  },
);
export type UpdateSchemaRequest = Static<typeof UpdateSchemaRequest>;

export const PublishSchemaVersionRequest = Type.Object(
  {
    schema: Body,
    version: Type.Optional({
      ...Semver,
      description: 'Overrides the proposed version; must be higher than the latest one',
    }),
    description: Type.Optional(Type.String({ maxLength: 2000, description: 'What changed, for readers' })),
    examples: Type.Optional(Examples),
    dry_run: Type.Optional(
      Type.Boolean({ description: 'Check and propose a version without publishing it', default: false }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        schema: {
          ...invoiceSchema,
          required: ['invoice_number', 'total', 'currency'],
          properties: { ...invoiceSchema.properties, currency: { type: 'string' } },
        },
        description: 'Currency is now always given',
      },
    ],
  },
);
export type PublishSchemaVersionRequest = Static<typeof PublishSchemaVersionRequest>;

export const SchemaChange = Type.Object({
  path: Type.String({ description: 'JSON Pointer into the schema' }),
  level: Type.Union([Type.Literal('major'), Type.Literal('minor'), Type.Literal('patch')]),
  message: Type.String(),
});
export type SchemaChange = Static<typeof SchemaChange>;

export const TargetPreflight = Type.Object({
  target: Type.String({ description: 'Schema target: `openai`, `anthropic`, `gemini` or `local`' }),
  providers: Type.Array(Type.String(), { description: 'Configured providers that use this target' }),
  compiles: Type.Boolean(),
  mode: Type.Union([Type.String(), Type.Null()], {
    description:
      'How the schema travels: `strict-json-schema`, `json-mode`, `tool`, `response-schema`, `grammar`',
  }),
  warnings: Type.Array(Type.String(), {
    description: 'Constraints the target drops (checked after generation) and fallbacks to JSON mode',
  }),
});
export type TargetPreflight = Static<typeof TargetPreflight>;

export const SchemaVersion = Type.Object(
  {
    schema_id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    version: Semver,
    description: Type.Union([Type.String(), Type.Null()]),
    schema: Type.Unknown(),
    examples: Type.Array(SchemaExample),
    changes: Type.Array(SchemaChange, { description: 'What changed from the previous version' }),
    created_by: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    preflight: Type.Optional(Type.Array(TargetPreflight)),
  },
  { examples: [versionExample] },
);
export type SchemaVersion = Static<typeof SchemaVersion>;

export const SchemaSummary = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    visibility: SchemaVisibility,
    tags: Type.Array(Type.String()),
    library: Type.Boolean({ description: 'Part of the common schema library shipped with the service' }),
    owner: Type.Union([Type.String(), Type.Null()], {
      description: 'Owning key id; null for the library (system)',
    }),
    latest_version: Semver,
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    deleted_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { examples: [summaryExample] },
);
export type SchemaSummary = Static<typeof SchemaSummary>;

export const SchemaDetail = Type.Intersect([SchemaSummary, Type.Object({ latest: SchemaVersion })], {
  examples: [{ ...summaryExample, latest: versionExample }],
});
export type SchemaDetail = Static<typeof SchemaDetail>;

export const PublishedSchemaVersion = Type.Intersect(
  [
    SchemaVersion,
    Type.Object({
      proposed_version: Semver,
      published: Type.Boolean({ description: 'False on a dry run' }),
    }),
  ],
  { examples: [publishedExample] },
);

export const SchemaList = Type.Object(
  { items: Type.Array(SchemaSummary), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { examples: [{ items: [summaryExample], next_cursor: null }] },
);

export const SchemaVersionList = Type.Object(
  { items: Type.Array(SchemaVersion), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { examples: [{ items: [versionExample], next_cursor: null }] },
);

export const SchemaListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  q: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Text in the name or description' }),
  ),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  visibility: Type.Optional(SchemaVisibility),
  owner: Type.Optional(
    Type.String({
      pattern: '^(me|system|[0-9a-fA-F-]{36})$',
      description: '`me`, `system` (the library) or a key id',
    }),
  ),
  library: Type.Optional(Type.Boolean({ description: '`true`: only the common schema library' })),
  include_deleted: Type.Optional(Type.Boolean({ description: 'Admin keys only: list deleted schemas too' })),
});
export type SchemaListQuery = Static<typeof SchemaListQuery>;

export const SchemaRefParams = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 100, description: 'The schema id or its name' }),
});

export const SchemaVersionParams = Type.Object({
  ref: Type.String({ minLength: 1, maxLength: 100 }),
  version: Type.String({
    minLength: 1,
    maxLength: 40,
    description: 'A version such as `1.2.0`, or `latest`',
  }),
});

/** Which registered schema version an answer satisfied. */
export const SchemaUsed = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  version: Semver,
});
export type SchemaUsed = Static<typeof SchemaUsed>;
