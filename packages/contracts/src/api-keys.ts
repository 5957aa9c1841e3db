import { type Static, Type } from 'typebox';

export const Scope = Type.Union([Type.Literal('admin'), Type.Literal('user')], {
  description:
    '`admin`: manage keys, read audit logs, everything. `user`: use the service and its own resources.',
});
export type Scope = Static<typeof Scope>;

export const SuspiciousInputPolicy = Type.Union([Type.Literal('flag'), Type.Literal('block')]);

export const CreateApiKeyRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, examples: ['billing-service'] }),
    team: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ['payments'] })),
    scopes: Type.Array(Scope, { minItems: 1, maxItems: 2, uniqueItems: true, default: ['user'] }),
    rate_limit_per_hour: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, examples: [1000] })),
    tokens_per_minute: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    monthly_budget_usd: Type.Optional(
      Type.Union([Type.Number({ minimum: 0, maximum: 1_000_000 }), Type.Null()]),
    ),
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, examples: [90] })),
    suspicious_input_policy: Type.Optional(SuspiciousInputPolicy),
    store_prompts: Type.Optional(
      Type.Union([Type.Boolean(), Type.Null()], {
        description:
          'false: keep no prompts or answers of this key in the request log; null: the service setting',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'billing-service',
        team: 'payments',
        scopes: ['user'],
        rate_limit_per_hour: 500,
        monthly_budget_usd: 50,
      },
    ],
  },
);
export type CreateApiKeyRequest = Static<typeof CreateApiKeyRequest>;

export const ApiKeyUsage = Type.Object({
  requests_this_hour: Type.Integer(),
  cost_this_hour_usd: Type.Number(),
  requests_this_month: Type.Integer(),
  cost_this_month_usd: Type.Number(),
  tokens_this_month: Type.Integer(),
});

export const ApiKey = Type.Object({
  id: Type.String({ format: 'uuid' }),
  key_prefix: Type.String({
    description: 'First characters of the key, for recognising it',
    examples: ['sp_3f9a1c'],
  }),
  name: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Scope),
  rate_limit_per_hour: Type.Integer(),
  tokens_per_minute: Type.Union([Type.Integer(), Type.Null()]),
  monthly_budget_usd: Type.Union([Type.Number(), Type.Null()]),
  suspicious_input_policy: Type.Union([SuspiciousInputPolicy, Type.Null()]),
  store_prompts: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  is_active: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  usage: Type.Optional(ApiKeyUsage),
});
export type ApiKey = Static<typeof ApiKey>;

export const ApiKeyWithSecret = Type.Intersect([
  ApiKey,
  Type.Object({
    key: Type.String({
      description: 'The secret key. Shown exactly once: store it now.',
      examples: ['sp_4c1f0e7b2d9a8c3e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a'],
    }),
  }),
]);

export const RotateApiKeyRequest = Type.Object(
  {
    grace_period_seconds: Type.Integer({
      minimum: 0,
      maximum: 30 * 86_400,
      default: 0,
      description: 'How long the old secret keeps working (0: it stops at once)',
    }),
  },
  { additionalProperties: false },
);

export const ApiKeyList = Type.Object({
  items: Type.Array(ApiKey),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
