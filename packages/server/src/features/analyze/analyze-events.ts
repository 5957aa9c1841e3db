import type { AnalyzeRequest } from '@structured-prompt/contracts';
import type { FastifyRequest } from 'fastify';
import type { EventStream } from '../../http/event-stream.ts';
import { problemFor } from '../../http/plugins/error-handler.ts';
import type { AnalyzeService } from './analyze.service.ts';
import type { AnalyzeContext } from './analyze-context.ts';
import { PartialAnswer } from './partial-answer.ts';

/**
 * `POST /v1/analyze` as server-sent events: `partial` (the best-effort object parsed so far, per
 * provider call), `attempt` (a re-ask started, with the errors), then `final` (the body the
 * non-streamed answer would have) or `error` (its problem document). Only `final` is validated.
 */
export async function streamAnalyze(
  service: Pick<AnalyzeService, 'analyze'>,
  body: AnalyzeRequest,
  context: AnalyzeContext,
  request: FastifyRequest,
  events: EventStream,
): Promise<void> {
  const partial = new PartialAnswer();
  let attempt = 1;
  const streamed: AnalyzeContext = {
    ...context,
    stream: {
      signal: events.signal,
      sink: {
        start: () => partial.reset(),
        text: async (delta) => {
          const data = partial.add(delta);
          if (data !== undefined) await events.send(JSON.stringify({ attempt, data }), 'partial');
        },
      },
      reask: (next, errors) => {
        attempt = next;
        void events.send(JSON.stringify({ attempt: next, errors }), 'attempt');
      },
    },
  };
  try {
    const response = await service.analyze(body, streamed);
    await events.send(JSON.stringify(response), 'final');
  } catch (error) {
    if (!events.signal.aborted) await events.send(JSON.stringify(problemFor(request, error)), 'error');
  } finally {
    events.end();
  }
}
