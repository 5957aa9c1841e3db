import type { Agent, Dispatcher } from 'undici';
import { loadOnFirstUse } from '../../lib/load-on-first-use.ts';

/** undici is loaded on the first provider call: a server answering only from cache or the heuristic never needs it. */
const loadUndici = loadOnFirstUse<typeof import('undici')>('undici');

/** The `fetch` signature the AI SDK provider factories accept. */
export type FetchFunction = typeof globalThis.fetch;

/** Statuses whose responses carry no body; `new Response` refuses one for them. */
const nullBodyStatuses = new Set([101, 204, 205, 304]);

/**
 * A `fetch` for the AI SDK providers built on undici's `request` with one keep-alive connection pool.
 *
 * The SDK only needs a complete response (we never stream from cloud providers), while the global
 * `fetch` pays for WHATWG streams, request cloning and per-call setup: on loopback it costs 0.23 ms of
 * CPU per call against 0.09 ms for this path (measured in `bench/`; it was the largest part of a
 * cache miss). Behaviour the SDK relies on is kept: an aborted signal rejects with the signal's reason,
 * and a failure to connect rejects with `TypeError('fetch failed')` carrying the cause, as fetch does.
 */
async function fetchThroughPool(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  // A `Request` object carries its own body stream: leave that rare form to the real fetch.
  if (typeof input !== 'string' && !(input instanceof URL)) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  signal?.throwIfAborted();
  try {
    const answer = await loadUndici().request(input, {
      method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: plainHeaders(init?.headers),
      body: init?.body as string | Uint8Array | null | undefined,
      signal,
      dispatcher: sharedDispatcher(),
    });
    let body: ArrayBuffer | null = null;
    if (nullBodyStatuses.has(answer.statusCode)) await answer.body.dump();
    else body = await answer.body.arrayBuffer();
    return new Response(body, {
      status: answer.statusCode,
      headers: responseHeaders(answer.headers),
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new TypeError('fetch failed', { cause: error });
  }
}

let shared: Agent | undefined;

/** One pool per process for every provider: connections to the same vendor are reused across them. */
function sharedDispatcher(): Agent {
  shared ??= new (loadUndici().Agent)({ keepAliveTimeout: 10_000 });
  return shared;
}

function plainHeaders(headers: HeadersInit | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (!headers) return result;
  if (headers instanceof Headers || Array.isArray(headers)) {
    for (const [name, value] of headers as Iterable<[string, string]>) result[name.toLowerCase()] = value;
    return result;
  }
  for (const [name, value] of Object.entries(headers)) {
    // The SDK leaves optional headers undefined instead of omitting them.
    if (value !== undefined) result[name.toLowerCase()] = value;
  }
  return result;
}

function responseHeaders(headers: Record<string, string | string[] | undefined>): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) result.append(name, item);
    else result.append(name, value);
  }
  return result;
}

/** The fetch every cloud provider adapter passes to its AI SDK factory. */
export const providerFetch = fetchThroughPool as FetchFunction;

export interface PooledAnswer {
  statusCode: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

/** A vendor answer larger than this is refused: a misbehaving server must not fill our memory. */
export const maxAnswerBytes = 16 * 1024 * 1024;

export class OversizedAnswerError extends Error {
  override readonly name = 'OversizedAnswerError';
}

/**
 * POST a JSON body over the shared pool and read the whole answer as text, for adapters that speak
 * a wire format themselves (ADR 0012): no `Response`, `Headers` or web stream in between. Rejects
 * like `fetchThroughPool` does: with the signal's reason once aborted, otherwise with the cause.
 */
export async function postJsonThroughPool(
  url: string,
  options: { headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<PooledAnswer> {
  const { signal } = options;
  signal.throwIfAborted();
  try {
    const answer = await loadUndici().request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: options.body,
      signal,
      dispatcher: sharedDispatcher(),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxAnswerBytes) {
        answer.body.destroy();
        throw new OversizedAnswerError(`the answer is larger than ${maxAnswerBytes} bytes`);
      }
      chunks.push(chunk);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    return { statusCode: answer.statusCode, headers, text };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error;
  }
}
