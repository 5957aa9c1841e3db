import {
  AnalyzeResponse,
  AnalyzeRouteRequest,
  OutputValidationProblem,
  ProviderFailureProblem,
  withOptionAliases,
} from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { acceptsEventStream, EventStream } from '../../http/event-stream.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { problemContentType } from '../../http/plugins/error-handler.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import type { AnalyzeService } from './analyze.service.ts';
import { streamAnalyze } from './analyze-events.ts';

export function analyzeRoutes(app: AppInstance, service: AnalyzeService): void {
  app.post(
    '/v1/analyze',
    {
      schema: {
        summary: 'Analyze a prompt into validated structured JSON',
        description:
          'Sends the prompt (with the default output schema, or the JSON Schema you give) to a provider chosen ' +
          'by the router, parses the answer leniently, validates it, re-asks with the validation errors when it ' +
          'does not validate, and answers with an object that validates — or 422 with the errors and the last ' +
          'raw output. Identical requests are answered from the cache. Over budget: 402; over a rate or token ' +
          'limit: 429 with Retry-After. With `Accept: text/event-stream` or `"stream": true` the answer is a ' +
          'stream of server-sent events: `partial`, `attempt`, then `final` (this body) or `error` (a problem).',
        tags: ['analyze'],
        security: apiKeySecurity,
        body: AnalyzeRouteRequest,
        response: {
          200: AnalyzeResponse,
          422: {
            description: 'The model output did not validate after every attempt.',
            content: { [problemContentType]: { schema: OutputValidationProblem } },
          },
          502: {
            description: 'Every provider failed; `failed_attempts` lists each call that was tried.',
            content: { [problemContentType]: { schema: ProviderFailureProblem } },
          },
          504: {
            description: 'The request deadline passed before a provider answered.',
            content: { [problemContentType]: { schema: ProviderFailureProblem } },
          },
          ...problemResponses(400, 401, 402, 413, 415, 429, 500, 503),
        },
      },
    },
    async (request, reply) => {
      const { key } = requireAuth(request);
      const { stream, ...body } = request.body;
      const context = { key, requestId: request.id, ip: request.ip };
      // An explicit `stream` in the body wins over the Accept header.
      if (!(stream ?? acceptsEventStream(request))) return service.analyze(withOptionAliases(body), context);
      await streamAnalyze(service, withOptionAliases(body), context, request, new EventStream(reply));
      return reply;
    },
  );
}
