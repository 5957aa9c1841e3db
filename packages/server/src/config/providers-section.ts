import { Type } from 'typebox';

/**
 * Provider settings. Secrets and base URLs usually come from environment variables; structured
 * settings (models, prices, timeouts, the fallback order) from the config file. See
 * docs/providers.md and deploy/config/sps.config.example.yaml.
 */
const ProviderEntry = Type.Object(
  {
    /** Unique name, used in `fallbackOrder`, in per-request `provider` and in logs. */
    name: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,31}$' }),
    kind: Type.Union([
      Type.Literal('openai'),
      Type.Literal('anthropic'),
      Type.Literal('gemini'),
      Type.Literal('openai-compatible'),
      Type.Literal('local'),
      Type.Literal('heuristic'),
    ]),
    enabled: Type.Boolean({ default: true }),
    apiKey: Type.Optional(Type.String({ minLength: 1 })),
    /** Vendor API root including its version segment (`…/v1`, Gemini `…/v1beta`). */
    baseUrl: Type.Optional(Type.String({ format: 'uri' })),
    /** Models this provider may serve; the first is the default unless `defaultModel` says otherwise. */
    models: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    defaultModel: Type.Optional(Type.String({ minLength: 1 })),
    /** Per-call timeout; the request's overall deadline applies on top. */
    timeoutMs: Type.Integer({ default: 30_000, minimum: 100 }),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    maxTokens: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Replaces the pipeline's system prompt for this provider. */
    metaPrompt: Type.Optional(Type.String({ minLength: 1 })),
    /** Order among providers not named in `router.fallbackOrder` (lower first). */
    priority: Type.Integer({ default: 100 }),
    /** Most calls in flight at once; beyond it the router uses the next provider. */
    maxConcurrency: Type.Integer({ default: 64, minimum: 1 }),
    /** OpenAI-compatible servers: strict `json_schema` (true) or JSON mode only (false). */
    structuredOutputs: Type.Boolean({ default: true }),
    /** Local: the GGUF file. */
    modelPath: Type.Optional(Type.String({ minLength: 1 })),
    /** Local: context window in tokens (default: the model's, bounded by memory). */
    contextSize: Type.Optional(Type.Integer({ minimum: 128 })),
    /** Local grammar caps so generation always terminates. */
    maxStringLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    maxArrayItems: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

const Price = Type.Object(
  { inputPer1k: Type.Number({ minimum: 0 }), outputPer1k: Type.Number({ minimum: 0 }) },
  { additionalProperties: false },
);

export const ProvidersSection = Type.Object(
  {
    /** Providers declared in the config file. */
    entries: Type.Array(ProviderEntry, { default: [] }),
    /** Shortcuts from environment variables; each enables one provider with defaults. */
    openaiApiKey: Type.Optional(Type.String({ minLength: 1 })),
    openaiBaseUrl: Type.Optional(Type.String({ format: 'uri' })),
    anthropicApiKey: Type.Optional(Type.String({ minLength: 1 })),
    anthropicBaseUrl: Type.Optional(Type.String({ format: 'uri' })),
    geminiApiKey: Type.Optional(Type.String({ minLength: 1 })),
    geminiBaseUrl: Type.Optional(Type.String({ format: 'uri' })),
    openaiCompatibleBaseUrl: Type.Optional(Type.String({ format: 'uri' })),
    openaiCompatibleApiKey: Type.Optional(Type.String({ minLength: 1 })),
    openaiCompatibleModel: Type.Optional(Type.String({ minLength: 1 })),
    localModelPath: Type.Optional(Type.String({ minLength: 1 })),
    /** USD per 1K tokens, by model id; merged over the built-in defaults. */
    pricing: Type.Record(Type.String(), Price, { default: {} }),
  },
  { default: {}, additionalProperties: false },
);

export const RouterSection = Type.Object(
  {
    /** least-busy (fewest in flight), cost (cheapest price), latency (lowest recent p95), priority (configured order). */
    strategy: Type.Union(
      [Type.Literal('least-busy'), Type.Literal('cost'), Type.Literal('latency'), Type.Literal('priority')],
      { default: 'least-busy' },
    ),
    /** Provider names in fallback order; unnamed providers follow by priority; heuristic is always last. */
    fallbackOrder: Type.Array(Type.String(), {
      default: ['gemini', 'anthropic', 'openai', 'openai-compatible', 'local', 'heuristic'],
    }),
    /** Retries per provider on transient errors (timeouts, 5xx, 429, connection errors). */
    maxRetries: Type.Integer({ default: 2, minimum: 0, maximum: 10 }),
    retryBaseDelayMs: Type.Integer({ default: 250, minimum: 0 }),
    /** Longest backoff; a Retry-After longer than this makes the router fall back instead of waiting. */
    retryMaxDelayMs: Type.Integer({ default: 10_000, minimum: 0 }),
    /** Consecutive provider failures that open its circuit breaker. */
    breakerFailureThreshold: Type.Integer({ default: 3, minimum: 1 }),
    /** Time an open breaker waits before letting one probe call through (half-open). */
    breakerCooldownMs: Type.Integer({ default: 30_000, minimum: 100 }),
    healthWindowMs: Type.Integer({ default: 300_000, minimum: 1000 }),
    /** Error rate over the window above which a provider is disabled. */
    healthErrorRateThreshold: Type.Number({ default: 0.1, minimum: 0, maximum: 1 }),
    /** Calls in the window before the error rate is trusted. */
    healthMinRequests: Type.Integer({ default: 20, minimum: 1 }),
    healthDisableMs: Type.Integer({ default: 900_000, minimum: 1000 }),
  },
  { default: {}, additionalProperties: false },
);
