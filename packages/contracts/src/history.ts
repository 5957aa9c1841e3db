import { type Static, Type } from 'typebox';
import { AnalyzeResponse } from './analyze.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const RequestStatus = Type.Union(
  [Type.Literal('success'), Type.Literal('validation_failed'), Type.Literal('error')],
  {
    description:
      '`success`: an answer was returned (validated, relaxed or unvalidated). `validation_failed`: the ' +
      'answer did not validate after every attempt (422). `error`: refused or failed before an answer.',
  },
);
export type RequestStatus = Static<typeof RequestStatus>;

/** Filters shared by the history list, its export, and data deletions by time range. */
const historyFilters = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
  api_key_id: Type.Optional(
    Type.String({ format: 'uuid', description: 'Admin keys only; a user key always sees its own' }),
  ),
  provider: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  model: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  status: Type.Optional(RequestStatus),
  cached: Type.Optional(Type.Boolean()),
  schema: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Schema `id@version`, or a schema hash' }),
  ),
  template: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Template `id@version`' }),
  ),
  min_latency_ms: Type.Optional(Type.Number({ minimum: 0 })),
  min_cost_usd: Type.Optional(Type.Number({ minimum: 0 })),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Words the prompt contains (each matched as a word prefix; case-insensitive)',
    }),
  ),
};

export const RequestListQuery = Type.Object(
  {
    ...historyFilters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type RequestListQuery = Static<typeof RequestListQuery>;

export const RequestExportQuery = Type.Object(historyFilters, { additionalProperties: false });
export type RequestExportQuery = Static<typeof RequestExportQuery>;

const summaryProperties = {
  request_id: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  api_key_id: Nullable(Type.String()),
  status: RequestStatus,
  validation_status: Type.String(),
  provider: Nullable(Type.String()),
  model: Nullable(Type.String()),
  cached: Type.Boolean(),
  latency_ms: Type.Number(),
  prompt_tokens: Type.Integer(),
  completion_tokens: Type.Integer(),
  cost_usd: Type.Number(),
  schema_ref: Nullable(Type.String()),
  template_ref: Nullable(Type.String()),
  schema_hash: Nullable(Type.String()),
  prompt_preview: Nullable(Type.String({ description: 'The first 120 characters of the stored prompt' })),
  erased: Type.Boolean({ description: 'The prompt and answer were erased (deletion or retention)' }),
};
export const RequestSummary = Type.Object(summaryProperties);
export type RequestSummary = Static<typeof RequestSummary>;

export const RequestList = Type.Object({
  items: Type.Array(RequestSummary),
  next_cursor: Nullable(Type.String()),
});

export const RequestDetail = Type.Object({
  ...summaryProperties,
  prompt: Nullable(
    Type.String({
      description: 'As sent to the provider: normalized, and redacted when PII redaction was on',
    }),
  ),
  prompt_length: Type.Integer(),
  options: Type.Unknown({ description: 'The request as asked, without the prompt' }),
  answer: Type.Unknown(),
  attempts: Type.Unknown({ description: 'Each model call (provider, model, reason, tokens, cost)' }),
  validation_errors: Type.Array(Type.Unknown()),
  confidence: Nullable(Type.Number()),
  error: Nullable(Type.String()),
  erased_at: Nullable(Type.String({ format: 'date-time' })),
});
export type RequestDetail = Static<typeof RequestDetail>;

export const RequestIdParams = Type.Object({
  request_id: Type.String({ minLength: 1, maxLength: 128 }),
});

export const ReplayRequest = Type.Object(
  {
    provider: Type.Optional(Type.String({ minLength: 1, description: 'Another provider to ask' })),
    model: Type.Optional(Type.String({ minLength: 1, description: 'Another model to ask' })),
    schema: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Another JSON Schema (e.g. a newer version of the stored one)',
      }),
    ),
    schema_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'A registered schema version instead (`name@1.2.0`, or the id or name for the latest)',
        examples: ['invoice-extraction@2.0.0'],
      }),
    ),
  },
  { additionalProperties: false, default: {} },
);
export type ReplayRequest = Static<typeof ReplayRequest>;

const Change = <T extends Type.TSchema>(value: T) => Type.Object({ before: value, after: value });
const NumberChange = Type.Object({ before: Type.Number(), after: Type.Number(), delta: Type.Number() });

export const ReplayDiff = Type.Object({
  identical_answer: Type.Boolean(),
  changed_fields: Type.Array(
    Type.Object({
      path: Type.String({ description: 'JSON Pointer into the answer' }),
      change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
      before: Type.Optional(Type.Unknown()),
      after: Type.Optional(Type.Unknown()),
    }),
  ),
  validation_status: Change(Type.String()),
  provider: Change(Nullable(Type.String())),
  model: Change(Nullable(Type.String())),
  cost_usd: NumberChange,
  latency_ms: NumberChange,
  total_tokens: NumberChange,
});
export type ReplayDiff = Static<typeof ReplayDiff>;

export const ReplayResponse = Type.Object({
  original: RequestSummary,
  replay: AnalyzeResponse,
  diff: ReplayDiff,
});

export const DataDeletionRequest = Type.Object(
  {
    api_key_id: Type.Optional(Type.String({ format: 'uuid', description: 'Every request of this key' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DataDeletionRequest = Static<typeof DataDeletionRequest>;

export const DeletionReceipt = Type.Object({
  receipt_id: Type.String({ format: 'uuid' }),
  scope: Type.Object({
    request_id: Type.Optional(Type.String()),
    api_key_id: Type.Optional(Type.String()),
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
  }),
  erased: Type.Record(Type.String(), Type.Integer(), {
    description: 'Records erased per data class (request_logs, cache_entries, and each registered class)',
  }),
  kept: Type.Array(Type.String(), { description: 'What stays: counters without content, for billing' }),
  completed_at: Type.String({ format: 'date-time' }),
});
export type DeletionReceipt = Static<typeof DeletionReceipt>;
