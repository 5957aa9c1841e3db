import { type Static, Type } from 'typebox';
import { FieldError } from './problem.ts';

/** A text part of a message's content; other part types (images, audio) are refused. */
const TextPart = Type.Object(
  { type: Type.Literal('text'), text: Type.String() },
  { additionalProperties: false },
);

const MessageContent = Type.Union([Type.String(), Type.Array(TextPart, { minItems: 1 })]);

export const ChatMessageInput = Type.Object(
  {
    role: Type.Union([
      Type.Literal('system'),
      Type.Literal('developer'),
      Type.Literal('user'),
      Type.Literal('assistant'),
    ]),
    content: MessageContent,
    name: Type.Optional(Type.String({ description: 'Accepted and ignored' })),
  },
  { additionalProperties: false },
);
export type ChatMessageInput = Static<typeof ChatMessageInput>;

const JsonSchemaFormat = Type.Object(
  {
    type: Type.Literal('json_schema'),
    json_schema: Type.Object(
      {
        name: Type.String({ pattern: '^[a-zA-Z0-9_-]{1,64}$' }),
        description: Type.Optional(Type.String()),
        schema: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        strict: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const ResponseFormat = Type.Union([
  Type.Object({ type: Type.Literal('text') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('json_object') }, { additionalProperties: false }),
  JsonSchemaFormat,
]);
export type ResponseFormat = Static<typeof ResponseFormat>;

const Stop = Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 4 }), Type.Null()]);

export const ChatCompletionRequest = Type.Object(
  {
    model: Type.String({
      minLength: 1,
      description: 'A configured model name, `provider/model`, a provider name, or `auto` (the router).',
    }),
    messages: Type.Array(ChatMessageInput, { minItems: 1, maxItems: 200 }),
    response_format: Type.Optional(ResponseFormat),
    temperature: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 2 }), Type.Null()])),
    max_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 32_768 }), Type.Null()])),
    max_completion_tokens: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 32_768 }), Type.Null()]),
    ),
    stream: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    stream_options: Type.Optional(
      Type.Union([
        Type.Object({ include_usage: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        Type.Null(),
      ]),
    ),
    n: Type.Optional(Type.Union([Type.Literal(1), Type.Null()], { description: 'Only 1 is supported' })),
    top_p: Type.Optional(
      Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
        description: 'Accepted and ignored',
      }),
    ),
    stop: Type.Optional(Type.Union([Stop], { description: 'Accepted and ignored' })),
    seed: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'Accepted and ignored' })),
    user: Type.Optional(Type.String({ maxLength: 256, description: 'Accepted and ignored' })),
    metadata: Type.Optional(
      Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()], {
        description: 'Accepted and ignored',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'The OpenAI chat-completions request. Fields not listed here (tools, logprobs, audio, n > 1, …) ' +
      'are refused with 400.',
  },
);
export type ChatCompletionRequest = Static<typeof ChatCompletionRequest>;

const CompletionUsage = Type.Object({
  prompt_tokens: Type.Integer(),
  completion_tokens: Type.Integer(),
  total_tokens: Type.Integer(),
});

export const ChatCompletion = Type.Object({
  id: Type.String(),
  object: Type.Literal('chat.completion'),
  created: Type.Integer({ description: 'Unix seconds' }),
  model: Type.String(),
  choices: Type.Array(
    Type.Object({
      index: Type.Integer(),
      message: Type.Object({
        role: Type.Literal('assistant'),
        content: Type.String(),
        refusal: Type.Null(),
      }),
      finish_reason: Type.Union([
        Type.Literal('stop'),
        Type.Literal('length'),
        Type.Literal('content_filter'),
      ]),
      logprobs: Type.Null(),
    }),
  ),
  usage: CompletionUsage,
});
export type ChatCompletion = Static<typeof ChatCompletion>;

/** OpenAI's error body; `request_id` and `errors` are ours (validation errors of a 422). */
export const OpenAiError = Type.Object({
  error: Type.Object({
    message: Type.String(),
    type: Type.String(),
    param: Type.Union([Type.String(), Type.Null()]),
    code: Type.Union([Type.String(), Type.Null()]),
    request_id: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldError)),
  }),
});
export type OpenAiError = Static<typeof OpenAiError>;

export const ModelEntry = Type.Object({
  id: Type.String(),
  object: Type.Literal('model'),
  created: Type.Integer(),
  owned_by: Type.String({ description: 'The provider that serves the model' }),
});
export type ModelEntry = Static<typeof ModelEntry>;

export const ModelList = Type.Object({ object: Type.Literal('list'), data: Type.Array(ModelEntry) });
export type ModelList = Static<typeof ModelList>;
