import type { FakeReply } from './fake-vendor-server.ts';

/**
 * Streamed answers in each vendor's published server-sent-events format: OpenAI chat-completion
 * chunks ending in `[DONE]`, Anthropic message events with a forced tool call's input as JSON deltas,
 * and Gemini `streamGenerateContent?alt=sse` candidates.
 */

export interface StreamOptions {
  /** Pieces the content is cut into (one event each); defaults to pieces of about 8 characters. */
  pieces?: number;
  /** Pause between events. */
  intervalMs?: number;
  model?: string;
  promptTokens?: number;
  completionTokens?: number;
}

/** `text` cut into `pieces` consecutive parts (the last may be shorter). */
export function cutInto(text: string, pieces?: number): string[] {
  const count = Math.max(1, Math.min(text.length, pieces ?? Math.ceil(text.length / 8)));
  const size = Math.ceil(text.length / count);
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += size) parts.push(text.slice(start, start + size));
  return parts;
}

const data = (payload: unknown) => `data: ${JSON.stringify(payload)}`;

export function openAiStream(content: string, options: StreamOptions = {}): FakeReply {
  const model = options.model ?? 'gpt-4o-mini-2024-07-18';
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    data({
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model,
      choices,
      ...extra,
    });
  const promptTokens = options.promptTokens ?? 100;
  const completionTokens = options.completionTokens ?? 20;
  return {
    eventIntervalMs: options.intervalMs ?? 0,
    events: [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      ...cutInto(content, options.pieces).map((piece) =>
        chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]),
      ),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      chunk([], {
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      }),
      'data: [DONE]',
    ],
  };
}

export function anthropicToolStream(
  toolName: string,
  input: unknown,
  options: StreamOptions = {},
): FakeReply {
  const event = (type: string, payload: Record<string, unknown>) =>
    `event: ${type}\n${data({ type, ...payload })}`;
  return {
    eventIntervalMs: options.intervalMs ?? 0,
    events: [
      event('message_start', {
        message: {
          id: 'msg_fake',
          type: 'message',
          role: 'assistant',
          model: options.model ?? 'claude-haiku-4-5',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: options.promptTokens ?? 100, output_tokens: 1 },
        },
      }),
      event('content_block_start', {
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_fake', name: toolName, input: {} },
      }),
      ...cutInto(JSON.stringify(input), options.pieces).map((piece) =>
        event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: piece } }),
      ),
      event('content_block_stop', { index: 0 }),
      event('message_delta', {
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: options.completionTokens ?? 20 },
      }),
      event('message_stop', {}),
    ],
  };
}

export function geminiStream(text: string, options: StreamOptions = {}): FakeReply {
  const pieces = cutInto(text, options.pieces);
  const promptTokenCount = options.promptTokens ?? 100;
  const candidatesTokenCount = options.completionTokens ?? 20;
  return {
    eventIntervalMs: options.intervalMs ?? 0,
    events: pieces.map((piece, index) =>
      data({
        candidates: [
          {
            content: { parts: [{ text: piece }], role: 'model' },
            index: 0,
            ...(index === pieces.length - 1 ? { finishReason: 'STOP' } : {}),
          },
        ],
        usageMetadata: {
          promptTokenCount,
          candidatesTokenCount,
          totalTokenCount: promptTokenCount + candidatesTokenCount,
        },
        modelVersion: options.model ?? 'gemini-2.5-flash',
      }),
    ),
  };
}
