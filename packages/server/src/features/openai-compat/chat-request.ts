import type { AnalyzeRequest, ChatCompletionRequest, ChatMessageInput } from '@structured-prompt/contracts';
import type { JsonSchema } from '@structured-prompt/gateway';
import { AppError } from '../../lib/app-error.ts';

/** What a chat request means to the analyze pipeline, and how to turn its answer back into content. */
export interface ChatAsAnalyze {
  body: AnalyzeRequest;
  /** The answer's `data` as the message content the client expects. */
  content(data: unknown): string;
}

/** A provider the router can use, with the models it serves. */
export interface ModelCatalogEntry {
  provider: string;
  models: readonly string[];
}

/**
 * Text answers travel through the same pipeline as a one-property object, so every provider
 * (including strict-schema and tool-use targets) can serve them; the property is unwrapped again.
 */
const textReplySchema: JsonSchema = {
  title: 'chat_reply',
  type: 'object',
  properties: { content: { type: 'string', description: "The assistant's reply to the conversation" } },
  required: ['content'],
  additionalProperties: false,
};

/** `json_object` guarantees parseable JSON, not a shape: any object validates. */
const anyObjectSchema: JsonSchema = { title: 'json_object', type: 'object' };

/** The chat request as an analyze request: the conversation as the prompt, the format as the schema. */
export function chatAsAnalyze(
  request: ChatCompletionRequest,
  catalog: readonly ModelCatalogEntry[],
): ChatAsAnalyze {
  const target = resolveModel(request.model, catalog);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const base: AnalyzeRequest = {
    prompt: conversationPrompt(request.messages),
    ...(target.provider === undefined ? {} : { provider: target.provider }),
    ...(target.model === undefined ? {} : { model: target.model }),
    ...(request.temperature == null ? {} : { temperature: request.temperature }),
    ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
  };
  const format = request.response_format ?? { type: 'text' };
  if (format.type === 'json_schema') {
    const { name, schema } = format.json_schema;
    const withTitle = { title: name, ...(schema ?? {}) } as JsonSchema;
    return { body: { ...base, schema: withTitle }, content: (data) => JSON.stringify(data) };
  }
  if (format.type === 'json_object') {
    return { body: { ...base, schema: anyObjectSchema }, content: (data) => JSON.stringify(data) };
  }
  return { body: { ...base, schema: textReplySchema }, content: textContent };
}

function textContent(data: unknown): string {
  const content = (data as { content?: unknown } | null)?.content;
  return typeof content === 'string' ? content : JSON.stringify(data);
}

/**
 * The conversation as one prompt: a lone user message as it is, otherwise each turn labelled by its
 * role, so the caller's system instructions and earlier turns reach the model with our own.
 */
export function conversationPrompt(messages: readonly ChatMessageInput[]): string {
  const texts = messages.map((message) => ({ role: message.role, text: messageText(message) }));
  if (texts.length === 1 && texts[0]!.role === 'user') return texts[0]!.text;
  return texts.map(({ role, text }) => `${roleLabel(role)}: ${text}`).join('\n\n');
}

function messageText(message: ChatMessageInput): string {
  return typeof message.content === 'string'
    ? message.content
    : message.content.map((part) => part.text).join('');
}

function roleLabel(role: ChatMessageInput['role']): string {
  switch (role) {
    case 'system':
    case 'developer':
      return 'Instructions';
    case 'user':
      return 'User';
    case 'assistant':
      return 'Assistant';
  }
}

/**
 * `auto` → the router; `provider/model`; a provider's name → its default model; a model some
 * provider serves → that provider. Anything else is a 404 naming the model, as OpenAI answers it.
 */
export function resolveModel(
  model: string,
  catalog: readonly ModelCatalogEntry[],
): { provider?: string; model?: string } {
  if (model === 'auto') return {};
  const slash = model.indexOf('/');
  if (slash > 0) {
    const provider = catalog.find((entry) => entry.provider === model.slice(0, slash));
    if (provider) return { provider: provider.provider, model: model.slice(slash + 1) };
  }
  if (catalog.some((entry) => entry.provider === model)) return { provider: model };
  const serving = catalog.find((entry) => entry.models.includes(model));
  if (serving) return { provider: serving.provider, model };
  throw new AppError(
    'not_found',
    `The model '${model}' does not exist; GET /v1/models lists the models served.`,
    {
      extensions: { openai_code: 'model_not_found', openai_param: 'model' },
    },
  );
}
