import { type Static, Type } from 'typebox';

export const UsageBucket = Type.Union([Type.Literal('hour'), Type.Literal('day'), Type.Literal('month')]);
export const UsageGroupBy = Type.Union([
  Type.Literal('key'),
  Type.Literal('provider'),
  Type.Literal('model'),
  Type.Literal('schema'),
  Type.Literal('template'),
]);
export type UsageGroupBy = Static<typeof UsageGroupBy>;

const range = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive; default 30 days ago' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive; default now' })),
  api_key_id: Type.Optional(
    Type.String({ format: 'uuid', description: 'Admin keys only; a user key always sees its own usage' }),
  ),
};

export const UsageQuery = Type.Object(
  {
    ...range,
    bucket: Type.Optional({ ...UsageBucket, default: 'day' }),
    group_by: Type.Optional(UsageGroupBy),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })),
  },
  { additionalProperties: false },
);
export type UsageQuery = Static<typeof UsageQuery>;

export const UsageProvidersQuery = Type.Object(range, { additionalProperties: false });
export type UsageProvidersQuery = Static<typeof UsageProvidersQuery>;

const metrics = {
  requests: Type.Integer(),
  prompt_tokens: Type.Integer(),
  completion_tokens: Type.Integer(),
  cost_usd: Type.Number(),
  cache_hits: Type.Integer(),
  saved_tokens: Type.Integer({ description: 'Tokens the cache hits did not spend' }),
  saved_cost_usd: Type.Number({ description: 'Dollars the cache hits did not spend' }),
  errors: Type.Integer(),
  validation_failures: Type.Integer(),
  latency_avg_ms: Type.Number(),
  latency_p50_ms: Type.Number({ description: 'Estimated from the rollups’ latency histogram' }),
  latency_p95_ms: Type.Number({ description: 'Estimated from the rollups’ latency histogram' }),
};

export const UsageMetrics = Type.Object(metrics);
export type UsageMetrics = Static<typeof UsageMetrics>;

export const UsagePoint = Type.Object({
  bucket_start: Type.String({ format: 'date-time' }),
  group: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  ...metrics,
});
export type UsagePoint = Static<typeof UsagePoint>;

export const UsageReport = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  bucket: UsageBucket,
  group_by: Type.Union([UsageGroupBy, Type.Null()]),
  totals: UsageMetrics,
  series: Type.Array(UsagePoint),
});
export type UsageReport = Static<typeof UsageReport>;

export const ProviderUsage = Type.Object({
  provider: Type.Union([Type.String(), Type.Null()]),
  model: Type.Union([Type.String(), Type.Null()]),
  requests: Type.Integer(),
  cost_usd: Type.Number(),
  cost_per_request_usd: Type.Number(),
  error_rate: Type.Number(),
  first_attempt_pass_rate: Type.Number({
    description: 'Answers that validated on the first model call, of the requests that called a model',
  }),
  latency_p50_ms: Type.Number(),
  latency_p95_ms: Type.Number(),
  latency_p99_ms: Type.Number(),
});

export const ProviderUsageReport = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  items: Type.Array(ProviderUsage),
});
