import {
  AbortedError,
  ConnectionError,
  errorFromProblem,
  type ProblemDocument,
  StructuredPromptError,
  TimeoutError,
} from '../errors.ts';
import { serverSentEvents } from '../server-sent-events.ts';
import type { CallOptions, Transport } from '../transport.ts';
import type { FieldError } from '../types.ts';
import type { AnalyzeResult } from './analyze.ts';

/** An object whose fields may each still be missing: what a partial answer holds so far. */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? DeepPartial<E>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * One event of a streamed analyze call. `partial` is the best-effort object parsed from the
 * provider's answer so far (not validated; it may vanish when a re-ask starts), `attempt` says a
 * re-ask started and why, and `final` carries the validated answer, as `analyze()` returns it.
 */
export type AnalyzeStreamEvent<T> =
  | { type: 'partial'; attempt: number; data: DeepPartial<T> }
  | { type: 'attempt'; attempt: number; errors: FieldError[] }
  | { type: 'final'; result: AnalyzeResult<T> };

/**
 * Sends the streamed request and yields its events until `final`. An `error` event is thrown as the
 * typed error `analyze()` would throw; so are refusals before the stream starts.
 */
export async function* analyzeEvents<T>(
  transport: Transport,
  body: unknown,
  options: CallOptions = {},
): AsyncGenerator<AnalyzeStreamEvent<T>> {
  const response = await transport.send({
    method: 'POST',
    path: '/v1/analyze',
    body: { ...(body as object), stream: true },
    idempotent: false,
    options: { ...options, headers: { ...options.headers, accept: 'text/event-stream' } },
  });
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (!response.body) throw new ConnectionError('the service sent an empty stream');
  try {
    for await (const event of serverSentEvents(response.body)) {
      const data = JSON.parse(event.data) as Record<string, unknown>;
      if (event.event === 'partial')
        yield { type: 'partial', ...(data as { attempt: number; data: DeepPartial<T> }) };
      else if (event.event === 'attempt')
        yield { type: 'attempt', ...(data as { attempt: number; errors: FieldError[] }) };
      else if (event.event === 'final') {
        yield { type: 'final', result: data as AnalyzeResult<T> };
        return;
      } else if (event.event === 'error') {
        const problem = data as ProblemDocument;
        throw errorFromProblem(
          problem.status,
          problem,
          (problem.request_id as string | undefined) ?? requestId,
        );
      }
    }
  } catch (error) {
    throw readFailure(error, options.signal);
  }
  throw new ConnectionError('the stream ended before its final event');
}

/** What went wrong while reading: the caller's abort, the call's timeout, or the connection. */
function readFailure(error: unknown, signal: AbortSignal | undefined): unknown {
  if (error instanceof StructuredPromptError) return error;
  if (signal?.aborted) return new AbortedError('aborted', { cause: signal.reason });
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new TimeoutError('the call timed out', { cause: error });
  }
  return new ConnectionError('the stream was interrupted', { cause: error });
}
