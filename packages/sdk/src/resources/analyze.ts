import { randomKey } from '../retry.ts';
import type { CallOptions, Transport } from '../transport.ts';
import { type DataOf, type SchemaLike, toJsonSchema } from '../typed-schema.ts';
import type { AnalyzeRequest, AnalyzeResponse, BatchRequest, BatchResponse, Job } from '../types.ts';
import { type AnalyzeStreamEvent, analyzeEvents } from './analyze-stream.ts';

/** An analyze request whose `schema` may also be a TypeBox or Standard JSON Schema (Zod 4, …). */
export type AnalyzeInput<S extends SchemaLike = SchemaLike> = Omit<AnalyzeRequest, 'schema'> & { schema?: S };

/** The analyze answer with `data` typed by the schema (or by the caller's type argument). */
export type AnalyzeResult<T> = Omit<AnalyzeResponse, 'data'> & { data: T };

/** Calls that create work may carry the caller's Idempotency-Key; the SDK makes one otherwise. */
export interface SubmitOptions extends CallOptions {
  idempotencyKey?: string;
}

function toAnalyzeRequest(input: AnalyzeInput): AnalyzeRequest {
  if (input.schema === undefined) return input as AnalyzeRequest;
  return { ...input, schema: toJsonSchema(input.schema) } as AnalyzeRequest;
}

/** Headers of a submission: the Idempotency-Key that makes retrying it safe. */
export function submission(options: SubmitOptions = {}): CallOptions {
  const { idempotencyKey, ...rest } = options;
  return { ...rest, headers: { ...rest.headers, 'idempotency-key': idempotencyKey ?? randomKey() } };
}

export class AnalyzeCalls {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * `POST /v1/analyze`: one prompt in, one validated object out. Not retried after a 5xx or a lost
   * connection (the provider may have been paid for), only after a 429.
   */
  analyze<T = never, S extends SchemaLike = Record<string, unknown>>(
    input: AnalyzeInput<S>,
    options?: CallOptions,
  ): Promise<AnalyzeResult<[T] extends [never] ? DataOf<S> : T>> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/analyze',
      body: toAnalyzeRequest(input as AnalyzeInput),
      idempotent: false,
      options,
    });
  }

  /**
   * `POST /v1/analyze` as server-sent events: partial objects while the model writes, `attempt` when
   * a re-ask starts, then the validated `final` answer. Iterate with `for await`; leaving the loop or
   * aborting `options.signal` closes the connection. `timeoutMs` bounds the whole stream. An `error`
   * event, or a refusal before the stream starts, is thrown as the typed error `analyze()` throws.
   */
  analyzeStream<T = never, S extends SchemaLike = Record<string, unknown>>(
    input: AnalyzeInput<S>,
    options?: CallOptions,
  ): AsyncGenerator<AnalyzeStreamEvent<[T] extends [never] ? DataOf<S> : T>> {
    return analyzeEvents(this.#transport, toAnalyzeRequest(input as AnalyzeInput), options);
  }

  /** `POST /v1/analyze/async`: the request becomes a job; wait for it with `jobs.wait`. */
  analyzeAsync(input: AnalyzeInput, options: SubmitOptions & { webhookUrl?: string } = {}): Promise<Job> {
    const { webhookUrl, ...rest } = options;
    return this.#transport.json({
      method: 'POST',
      path: '/v1/analyze/async',
      query: { webhook_url: webhookUrl },
      body: toAnalyzeRequest(input),
      idempotent: true,
      options: submission(rest),
    });
  }

  /** `POST /v1/analyze/batch`: up to the service's batch limit of prompts, answered together. */
  batch(request: BatchRequest, options?: SubmitOptions): Promise<BatchResponse> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/analyze/batch',
      body: request,
      idempotent: true,
      options: submission(options),
    });
  }
}
