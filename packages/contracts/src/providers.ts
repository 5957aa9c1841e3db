import { Type } from 'typebox';

const Price = Type.Union([
  Type.Object({ input_per_1k: Type.Number(), output_per_1k: Type.Number() }),
  Type.Null(),
]);

export const ProviderStatusEntry = Type.Object({
  name: Type.String({ examples: ['openai'] }),
  kind: Type.String({ examples: ['openai'] }),
  enabled: Type.Boolean(),
  disabled_reason: Type.Union([Type.String(), Type.Null()], { examples: ['no API key configured'] }),
  healthy: Type.Boolean(),
  circuit: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open')]),
  disabled_until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  models: Type.Array(Type.String()),
  default_model: Type.String(),
  prices: Type.Record(Type.String(), Price, {
    description: 'USD per 1K tokens by model; null when unpriced',
  }),
  latency_p95_ms: Type.Union([Type.Number(), Type.Null()]),
  error_rate: Type.Number({ minimum: 0, maximum: 1 }),
  recent_requests: Type.Integer(),
  in_flight: Type.Integer(),
  max_concurrency: Type.Integer(),
  timeout_ms: Type.Integer(),
  priority: Type.Integer(),
});

export const ProviderStatusList = Type.Object({
  strategy: Type.String({ examples: ['least-busy'] }),
  providers: Type.Array(ProviderStatusEntry),
});
