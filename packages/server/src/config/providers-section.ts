import { Type } from 'typebox';

/**
 * Provider settings. Secrets and base URLs usually come from environment variables; structured
 * settings (models, prices, timeouts, the fallback order) from the config file.
 */
const ProviderEntry = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,31}$' }),
    kind: Type.Union(
      ['openai', 'anthropic', 'gemini', 'openai-compatible', 'local', 'heuristic'].map((kind) =>
        Type.Literal(kind),
      ),
    ),
    enabled: Type.Boolean({ default: true }),
    apiKey: Type.Optional(Type.String({ minLength: 1 })),
    baseUrl: Type.Optional(Type.String({ format: 'uri' })),
    models: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    defaultModel: Type.Optional(Type.String({ minLength: 1 })),
    timeoutMs: Type.Integer({ default: 30_000, minimum: 100 }),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    maxTokens: Type.Optional(Type.Integer({ minimum: 1 })),
    metaPrompt: Type.Optional(Type.String({ minLength: 1 })),
    priority: Type.Integer({ default: 100 }),
    maxConcurrency: Type.Integer({ default: 64, minimum: 1 }),
    modelPath: Type.Optional(Type.String({ minLength: 1 })),
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
    strategy: Type.Union(
      ['least-busy', 'cost', 'latency', 'priority'].map((strategy) => Type.Literal(strategy)),
      {
        default: 'least-busy',
      },
    ),
    fallbackOrder: Type.Array(Type.String(), {
      default: ['gemini', 'anthropic', 'openai', 'local', 'heuristic'],
    }),
    maxRetries: Type.Integer({ default: 2, minimum: 0, maximum: 10 }),
    retryBaseDelayMs: Type.Integer({ default: 250, minimum: 0 }),
    retryMaxDelayMs: Type.Integer({ default: 10_000, minimum: 0 }),
    breakerFailureThreshold: Type.Integer({ default: 3, minimum: 1 }),
    breakerCooldownMs: Type.Integer({ default: 30_000, minimum: 100 }),
    healthWindowMs: Type.Integer({ default: 300_000, minimum: 1000 }),
    healthErrorRateThreshold: Type.Number({ default: 0.1, minimum: 0, maximum: 1 }),
    healthMinRequests: Type.Integer({ default: 20, minimum: 1 }),
    healthDisableMs: Type.Integer({ default: 900_000, minimum: 1000 }),
  },
  { default: {}, additionalProperties: false },
);
