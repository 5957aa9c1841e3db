import type { AnalyzeResponse, ChatCompletionRequest } from '@structured-prompt/contracts';
import type { FastifyRequest } from 'fastify';
import type { EventStream } from '../../http/event-stream.ts';
import { problemFor } from '../../http/plugins/error-handler.ts';
import type { AnalyzeService } from '../analyze/analyze.service.ts';
import type { AnalyzeContext } from '../analyze/analyze-context.ts';
import { PartialAnswer } from '../analyze/partial-answer.ts';
import type { ChatAsAnalyze } from './chat-request.ts';
import { toOpenAiError } from './openai-errors.ts';

export interface ChatStreamInput {
  analyze: Pick<AnalyzeService, 'analyze'>;
  chat: ChatAsAnalyze;
  body: ChatCompletionRequest;
  context: AnalyzeContext;
  request: FastifyRequest;
  events: EventStream;
}

/**
 * `stream: true` on `/v1/chat/completions`: OpenAI's chunk format ending in `data: [DONE]`. Text
 * replies stream as the provider generates them. JSON replies (`json_schema`, `json_object`) are sent
 * only once the whole object validated, so what a client concatenates is always the validated JSON;
 * failures end the stream with an error chunk in OpenAI's shape instead.
 */
export async function streamChatCompletion(input: ChatStreamInput): Promise<void> {
  const { body, context, events } = input;
  const chunks = chunkWriter(`chatcmpl-${context.requestId}`, body.model, events);
  const text = new ForwardedText();
  const streamText = (body.response_format?.type ?? 'text') === 'text';
  const streamed: AnalyzeContext = {
    ...context,
    stream: {
      signal: events.signal,
      sink: {
        start: () => text.restart(),
        text: async (delta) => {
          const piece = streamText ? text.add(delta) : undefined;
          if (piece) await chunks.content(piece);
        },
      },
      reask: (attempt) => void events.comment(`re-asking the model (attempt ${attempt})`),
    },
  };
  try {
    await chunks.role();
    const response = await input.analyze.analyze(input.chat.body, streamed);
    await finish(input, chunks, text, response);
  } catch (error) {
    if (!events.signal.aborted) {
      await events.send(JSON.stringify(toOpenAiError(problemFor(input.request, error))));
    }
  } finally {
    events.end();
  }
}

async function finish(
  input: ChatStreamInput,
  chunks: ReturnType<typeof chunkWriter>,
  text: ForwardedText,
  response: AnalyzeResponse,
): Promise<void> {
  const content = input.chat.content(response.data);
  const rest = text.remainder(content);
  if (rest === undefined) {
    // Text already sent cannot be taken back; the client is told instead of given a wrong answer.
    const problem = {
      status: 502,
      detail:
        'The answer changed after part of it was streamed (the provider call was retried); retry the request.',
      code: 'stream_restarted',
      request_id: input.context.requestId,
    };
    await input.events.send(JSON.stringify(toOpenAiError(problem)));
    return;
  }
  if (rest.length > 0) await chunks.content(rest);
  await chunks.finish(response);
  if (input.body.stream_options?.include_usage) await chunks.usage(response);
  await input.events.send('[DONE]');
}

/** Chunks of one completion, all with the same id and creation time. */
function chunkWriter(id: string, requestedModel: string, events: EventStream) {
  const created = Math.floor(Date.now() / 1000);
  const send = (choices: unknown[], model = requestedModel, extra: Record<string, unknown> = {}) =>
    events.send(JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra }));
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    index: 0,
    delta,
    finish_reason: finishReason,
    logprobs: null,
  });
  return {
    role: () => send([choice({ role: 'assistant', content: '' })]),
    content: (content: string) => send([choice({ content })]),
    finish: (response: AnalyzeResponse) => send([choice({}, 'stop')], response.model),
    usage: (response: AnalyzeResponse) =>
      send([], response.model, {
        usage: {
          prompt_tokens: response.usage.prompt_tokens,
          completion_tokens: response.usage.completion_tokens,
          total_tokens: response.usage.total_tokens,
        },
      }),
  };
}

/**
 * The reply text sent so far. A text reply travels as `{"content": "…"}`, so each provider call's
 * partial object is read and only growth of `content` beyond what was sent goes out.
 */
class ForwardedText {
  #sent = '';
  readonly #partial = new PartialAnswer();

  restart(): void {
    this.#partial.reset();
  }

  /** The new text to send for this delta, if the reply grew past what was already sent. */
  add(delta: string): string | undefined {
    const value = this.#partial.add(delta) as { content?: unknown } | undefined;
    const content = value?.content;
    if (typeof content !== 'string' || content.length <= this.#sent.length) return undefined;
    if (!content.startsWith(this.#sent)) return undefined;
    const piece = content.slice(this.#sent.length);
    this.#sent = content;
    return piece;
  }

  /** What is left to send of the final content; undefined when what was sent is not its beginning. */
  remainder(content: string): string | undefined {
    return content.startsWith(this.#sent) ? content.slice(this.#sent.length) : undefined;
  }
}
