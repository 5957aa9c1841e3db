import { ChatCompletion, ChatCompletionRequest, ModelList, OpenAiError } from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { EventStream } from '../../http/event-stream.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity } from '../../http/route-schema.ts';
import { type ChatCompletionsService, extraHeaders } from './chat-completions.service.ts';
import { streamChatCompletion } from './chat-stream.ts';
import { answerInOpenAiShape } from './openai-errors.ts';

const errorStatuses = [400, 401, 402, 404, 413, 415, 422, 429, 500, 502, 503, 504] as const;

/** Every error of these routes, in OpenAI's shape. */
const openAiErrors = Object.fromEntries(
  errorStatuses.map((status) => [
    status,
    {
      description: 'An error in OpenAI’s shape; a 422 carries our validation errors in `error.errors`.',
      content: { 'application/json': { schema: OpenAiError } },
    },
  ]),
);

/**
 * The OpenAI-compatible surface. Its routes live in their own scope, whose `onSend` hook turns the
 * app's problem documents into OpenAI's error shape: the rest of the API keeps RFC 9457.
 */
export function openAiCompatRoutes(app: AppInstance, service: ChatCompletionsService): void {
  app.register(async (scope: AppInstance) => {
    scope.addHook('onSend', answerInOpenAiShape);
    registerChatCompletions(scope, service);
    scope.get(
      '/v1/models',
      {
        schema: {
          summary: 'List the models served, in OpenAI’s format',
          description: '`auto` (the router with fallback), then every model of every enabled provider.',
          tags: ['openai-compatible'],
          security: apiKeySecurity,
          response: { 200: ModelList, ...openAiErrors },
        },
      },
      async (request) => {
        requireAuth(request);
        return service.models();
      },
    );
  });
}

function registerChatCompletions(scope: AppInstance, service: ChatCompletionsService): void {
  scope.post(
    '/v1/chat/completions',
    {
      schema: {
        summary: 'OpenAI-compatible chat completions with validated structured output',
        description:
          'Accepts the OpenAI chat-completions request. With `response_format: json_schema` the answer goes ' +
          'through the analyze pipeline (per-target compilation, lenient parse, validation, re-ask) and ' +
          '`message.content` is JSON that validates, or the request fails with 422. `json_object` answers ' +
          'are parseable JSON objects. Provider, cache status and cost are in `x-provider`, `x-cache` and ' +
          "`x-cost-usd`. With `stream: true` the answer is OpenAI's chunk stream ending in `data: [DONE]`; JSON " +
          'replies are sent only after they validated, and a failure ends the stream with an error chunk.',
        tags: ['openai-compatible'],
        security: apiKeySecurity,
        body: ChatCompletionRequest,
        response: { 200: ChatCompletion, ...openAiErrors },
      },
    },
    async (request, reply) => {
      const { key } = requireAuth(request);
      const context = { key, requestId: request.id, ip: request.ip };
      if (request.body.stream === true) {
        // Translated first: an unknown model is still a plain 404, before any stream starts.
        const chat = service.translate(request.body);
        const events = new EventStream(reply);
        await streamChatCompletion({
          analyze: service.analyze,
          chat,
          body: request.body,
          context,
          request,
          events,
        });
        return reply;
      }
      const { completion, response } = await service.complete(request.body, context);
      reply.headers(extraHeaders(response));
      return completion;
    },
  );
}
