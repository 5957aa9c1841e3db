import type { FakeReply } from './fake-vendor-server.ts';

/**
 * Responses shaped like each vendor's published formats: OpenAI chat completions, Anthropic
 * messages, Gemini generateContent, and their error bodies.
 */

export function openAiCompletion(
  content: string,
  options: {
    model?: string;
    promptTokens?: number;
    completionTokens?: number;
    finishReason?: string;
    logprobs?: number[];
  } = {},
): FakeReply {
  return {
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: options.model ?? 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          logprobs: options.logprobs
            ? {
                content: options.logprobs.map((logprob, index) => ({
                  token: `t${index}`,
                  logprob,
                  bytes: null,
                  top_logprobs: [],
                })),
              }
            : null,
          finish_reason: options.finishReason ?? 'stop',
        },
      ],
      usage: {
        prompt_tokens: options.promptTokens ?? 100,
        completion_tokens: options.completionTokens ?? 20,
        total_tokens: (options.promptTokens ?? 100) + (options.completionTokens ?? 20),
      },
    },
  };
}

export function openAiError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): FakeReply {
  const type =
    status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { status, headers, body: { error: { message, type, param: null, code: null } } };
}

export function anthropicToolUse(
  toolName: string,
  input: unknown,
  options: { model?: string; inputTokens?: number; outputTokens?: number } = {},
): FakeReply {
  return {
    body: {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: options.model ?? 'claude-haiku-4-5-20251001',
      content: [{ type: 'tool_use', id: 'toolu_fake', name: toolName, input }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: options.inputTokens ?? 120, output_tokens: options.outputTokens ?? 30 },
    },
  };
}

export function anthropicText(text: string): FakeReply {
  return {
    body: {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5-20251001',
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5 },
    },
  };
}

export function anthropicError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): FakeReply {
  const type =
    status === 429
      ? 'rate_limit_error'
      : status === 529
        ? 'overloaded_error'
        : status >= 500
          ? 'api_error'
          : 'invalid_request_error';
  return { status, headers, body: { type: 'error', error: { type, message } } };
}

export function geminiContent(
  text: string,
  options: { promptTokens?: number; outputTokens?: number; finishReason?: string; model?: string } = {},
): FakeReply {
  return {
    body: {
      candidates: [
        {
          content: { role: 'model', parts: [{ text }] },
          finishReason: options.finishReason ?? 'STOP',
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: options.promptTokens ?? 80,
        candidatesTokenCount: options.outputTokens ?? 15,
        totalTokenCount: (options.promptTokens ?? 80) + (options.outputTokens ?? 15),
      },
      modelVersion: options.model ?? 'gemini-2.5-flash',
    },
  };
}

export function geminiError(status: number, message: string, retryDelay?: string): FakeReply {
  const statusName =
    status === 429 ? 'RESOURCE_EXHAUSTED' : status >= 500 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT';
  return {
    status,
    body: {
      error: {
        code: status,
        message,
        status: statusName,
        ...(retryDelay
          ? { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }] }
          : {}),
      },
    },
  };
}
