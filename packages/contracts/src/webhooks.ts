import { type Static, Type } from 'typebox';

export const WebhookEventType = Type.Union(
  [
    Type.Literal('job.completed'),
    Type.Literal('job.failed'),
    Type.Literal('job.cancelled'),
    Type.Literal('job.expired'),
    Type.Literal('budget.threshold'),
    Type.Literal('key.expiring'),
    Type.Literal('webhook.test'),
  ],
  { description: 'What happened; the `type` member of the delivered body.' },
);

const Url = Type.String({ minLength: 8, maxLength: 2048, examples: ['https://hooks.example.com/sps'] });

export const CreateWebhookRequest = Type.Object(
  {
    url: Url,
    event_types: Type.Optional(
      Type.Array(WebhookEventType, {
        uniqueItems: true,
        maxItems: 7,
        description: 'Events to receive; omitted or empty: every event.',
      }),
    ),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  {
    additionalProperties: false,
    examples: [{ url: 'https://hooks.example.com/sps', event_types: ['job.completed', 'job.failed'] }],
  },
);
export type CreateWebhookRequest = Static<typeof CreateWebhookRequest>;

export const UpdateWebhookRequest = Type.Object(
  {
    url: Type.Optional(Url),
    event_types: Type.Optional(Type.Array(WebhookEventType, { uniqueItems: true, maxItems: 7 })),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    enabled: Type.Optional(Type.Boolean({ description: 'true re-enables an endpoint that was disabled.' })),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ enabled: true }] },
);
export type UpdateWebhookRequest = Static<typeof UpdateWebhookRequest>;

export const Webhook = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  event_types: Type.Array(WebhookEventType),
  enabled: Type.Boolean(),
  disabled_reason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why delivery stopped: a 410 Gone, or failures for too long.',
  }),
  previous_secret_valid_until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'While set and in the future, the previous secret still signs next to the new one.',
  }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
export type Webhook = Static<typeof Webhook>;

export const WebhookWithSecret = Type.Intersect([
  Webhook,
  Type.Object({
    secret: Type.String({
      description: 'Signing secret (`whsec_…`). Shown only in this answer: store it now.',
      examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    }),
  }),
]);

export const WebhookList = Type.Object({
  items: Type.Array(Webhook),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const RotateWebhookSecretRequest = Type.Object(
  {
    overlap_seconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        default: 86_400,
        description: 'How long the previous secret keeps signing next to the new one.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const WebhookDeliveryParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  delivery_id: Type.String({ format: 'uuid' }),
});

export const WebhookDelivery = Type.Object({
  id: Type.String({ format: 'uuid' }),
  message_id: Type.String({
    description: 'The `webhook-id` header the receiver saw (the same on every retry).',
  }),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
  ]),
  attempts: Type.Integer(),
  response_status: Type.Union([Type.Integer(), Type.Null()]),
  response_body: Type.Union([Type.String(), Type.Null()], { description: 'The start of the last answer.' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the last attempt got no answer.' }),
  latency_ms: Type.Union([Type.Integer(), Type.Null()]),
  next_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  last_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  delivered_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookDeliveryList = Type.Object({
  items: Type.Array(WebhookDelivery),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const WebhookTestResult = Type.Object({
  message_id: Type.String(),
});
