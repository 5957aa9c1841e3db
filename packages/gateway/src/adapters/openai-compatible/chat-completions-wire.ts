import type { JsonSchema } from '../../spec/json-schema.ts';
import type { ChatMessage, FinishReason, TokenUsage } from '../../spec/provider.ts';
import type { BodyChunk } from '../../transport/http/http1-pool.ts';

/**
 * The OpenAI chat-completions wire format, the part of it we use: one non-streamed completion with a
 * JSON response format (ADR 0012). Pure functions: building the body, reading the answer.
 * References: OpenAI's "Create chat completion" request and "chat completion object" response.
 */

export type ResponseFormat =
  | { type: 'json_schema'; name: string; schema: JsonSchema }
  | { type: 'json_object' };

export interface ChatCompletionsRequest {
  model: string;
  system: string;
  messages: readonly ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  responseFormat: ResponseFormat;
}

/**
 * The request body as a list of chunks, sent as they are (ADR 0017). The two large parts, the
 * system message (the meta-prompt with the pretty-printed schema, memoized per schema) and the
 * response format with its compiled schema, are serialized and encoded once and then shared by
 * every call; only the small parts around them (model, conversation, options) are built per call,
 * and stay strings: the socket encodes them as UTF-8 in the same write, where a `Buffer` of each
 * cost an allocation and a copy (about 2,000 instructions per part). Concatenated, the chunks are
 * the JSON text `JSON.stringify` would give for the same request.
 */
export function chatCompletionsBody(request: ChatCompletionsRequest, fragments: JsonFragments): BodyChunk[] {
  const chunks: BodyChunk[] = [];
  let text = `{"model":${JSON.stringify(request.model)},"messages":[`;
  let first = true;
  if (request.system.length > 0) {
    chunks.push(text, fragments.systemMessage(request.system));
    text = '';
    first = false;
  }
  for (const message of request.messages) {
    text += `${first ? '' : ','}{"role":${JSON.stringify(message.role)},"content":${JSON.stringify(message.content)}}`;
    first = false;
  }
  text += ']';
  if (request.temperature !== undefined) text += `,"temperature":${JSON.stringify(request.temperature)}`;
  if (request.maxTokens !== undefined) text += `,"max_tokens":${JSON.stringify(request.maxTokens)}`;
  chunks.push(`${text},"response_format":`, fragments.responseFormat(request.responseFormat));
  chunks.push(closingBrace);
  return chunks;
}

const closingBrace = Buffer.from('}');
const jsonObjectFormat = Buffer.from('{"type":"json_object"}');

/**
 * Encoded forms of the constant parts of requests, bounded so odd traffic cannot grow them. Callers
 * must not write into the buffers they get: they are shared by every request.
 */
export class JsonFragments {
  readonly #systemMessages = new Map<string, Buffer>();
  readonly #formats = new WeakMap<object, Map<string, Buffer>>();
  readonly #maxTexts: number;

  constructor(maxTexts = 64) {
    this.#maxTexts = maxTexts;
  }

  /** `{"role":"system","content":…}` for this system prompt. */
  systemMessage(system: string): Buffer {
    let encoded = this.#systemMessages.get(system);
    if (encoded === undefined) {
      encoded = Buffer.from(`{"role":"system","content":${JSON.stringify(system)}}`);
      // Oldest first out: a Map iterates in insertion order.
      if (this.#systemMessages.size >= this.#maxTexts)
        this.#systemMessages.delete(this.#systemMessages.keys().next().value!);
      this.#systemMessages.set(system, encoded);
    }
    return encoded;
  }

  responseFormat(format: ResponseFormat): Buffer {
    if (format.type === 'json_object') return jsonObjectFormat;
    const schema = format.schema;
    const serialize = () =>
      Buffer.from(
        JSON.stringify({ type: 'json_schema', json_schema: { name: format.name, schema, strict: true } }),
      );
    if (typeof schema !== 'object' || schema === null) return serialize();
    let byName = this.#formats.get(schema);
    if (!byName) {
      byName = new Map();
      this.#formats.set(schema, byName);
    }
    let encoded = byName.get(format.name);
    if (encoded === undefined) {
      encoded = serialize();
      byName.set(format.name, encoded);
    }
    return encoded;
  }
}

export interface ChatCompletionAnswer {
  text: string;
  /** The model the server says answered; absent when it does not say. */
  model: string | undefined;
  usage: TokenUsage;
  finishReason: FinishReason;
}

/** A 2xx body that is not a chat completion: the router treats it as `malformed_response`. */
export class MalformedCompletionError extends Error {
  override readonly name = 'MalformedCompletionError';
}

/**
 * Reads the first choice of a chat completion. `content` is a string in OpenAI's format; some
 * compatible servers send an array of text parts instead, which are joined. A refusal, or no content
 * at all, leaves the text empty: the pipeline reports that as an answer that does not parse.
 */
export function readChatCompletion(body: unknown): ChatCompletionAnswer {
  if (body === null || typeof body !== 'object')
    throw new MalformedCompletionError('the body is not an object');
  const completion = body as { choices?: unknown; model?: unknown; usage?: unknown };
  if (!Array.isArray(completion.choices) || completion.choices.length === 0) {
    throw new MalformedCompletionError('the completion has no choices');
  }
  const choice = completion.choices[0] as { message?: { content?: unknown }; finish_reason?: unknown } | null;
  if (
    choice === null ||
    typeof choice !== 'object' ||
    typeof choice.message !== 'object' ||
    !choice.message
  ) {
    throw new MalformedCompletionError('the first choice has no message');
  }
  return {
    text: contentText(choice.message.content),
    model: typeof completion.model === 'string' && completion.model !== '' ? completion.model : undefined,
    usage: readUsage(completion.usage),
    finishReason: finishReasonOf(choice.finish_reason),
  };
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const text = (part as { type?: unknown; text?: unknown } | null)?.text;
      return typeof text === 'string' ? text : '';
    })
    .join('');
}

function readUsage(usage: unknown): TokenUsage {
  const record = (usage ?? {}) as { prompt_tokens?: unknown; completion_tokens?: unknown };
  return {
    promptTokens: tokenCount(record.prompt_tokens),
    completionTokens: tokenCount(record.completion_tokens),
  };
}

function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

export function finishReasonOf(reason: unknown): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'content_filter':
    case 'tool_calls':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}
