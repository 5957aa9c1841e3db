import type { IncomingHttpHeaders } from 'node:http';
import {
  type BodyChunk,
  checkHeaderList,
  Http1Pool,
  type Http1Target,
} from '../../transport/http/http1-pool.ts';

export { maxAnswerBytes, OversizedAnswerError } from '../../transport/http/http1-response.ts';

/** The `fetch` signature the AI SDK provider factories accept. */
export type FetchFunction = typeof globalThis.fetch;

/** Statuses whose responses carry no body; `new Response` refuses one for them. */
const nullBodyStatuses = new Set([101, 204, 205, 304]);

/** A whole answer from a vendor, read into memory (we never stream from cloud providers). */
export interface PooledAnswer {
  statusCode: number;
  /** Lower-cased names: repeated headers joined with ", " (some kept once, as Node does), `set-cookie` a list. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Kept-alive connections shared by every provider of the process, on our own HTTP/1.1 client
 * (ADR 0019, which replaced Node's `http.request` and agent of ADR 0013 for the CPU per call). A
 * connection idle for 10 s, or for less than the server's announced `Keep-Alive: timeout`, is closed
 * so that it is not reused just as the server drops it.
 */
const pool = new Http1Pool();

/** Closes the idle provider connections (tests; a process exit closes them anyway). */
export function closeIdleProviderConnections(): void {
  pool.closeIdle();
}

/** Parsed provider URLs: a handful per process (one per configured endpoint), parsed once each. */
const targets = new Map<string, Http1Target>();
const maxTargets = 256;

function targetOf(url: string | URL): Http1Target {
  const text = String(url);
  let target = targets.get(text);
  if (!target) {
    const parsed = new URL(text);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TypeError(`unsupported protocol ${parsed.protocol}`);
    }
    target = {
      secure: parsed.protocol === 'https:',
      // Brackets of an IPv6 literal are URL syntax, not part of the address.
      hostname: parsed.hostname.replace(/^\[|\]$/g, ''),
      port: parsed.port,
      path: `${parsed.pathname}${parsed.search}`,
      host: parsed.host,
    };
    if (targets.size >= maxTargets) targets.clear();
    targets.set(text, target);
  }
  return target;
}

export interface PoolRequest {
  method: string;
  /** Lower-case names and their values, flattened: `['content-type', 'application/json', …]`. */
  headers: readonly string[];
  /** A list of chunks is sent as it is, one after the other (see `chatCompletionsBody`). */
  body?: BodyChunk | readonly BodyChunk[] | null;
  signal?: AbortSignal | null;
}

/**
 * One request over the shared pool; resolves with the whole answer. Rejects with the signal's reason
 * once it is aborted, with `OversizedAnswerError` past `maxAnswerBytes`, and otherwise with what the
 * connection failed with (`ECONNREFUSED`, a reset, a connection closed before the answer ended).
 *
 * Written for the per-call cost (ADR 0019): the head is one string written with the body, header
 * lists are checked once per list, and the signal is watched with one listener.
 */
export function requestThroughPool(url: string | URL, request: PoolRequest): Promise<PooledAnswer> {
  const signal = request.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  let target: Http1Target;
  try {
    target = targetOf(url);
    if (!checkedHeaderLists.has(request.headers)) {
      checkHeaderList(request.headers);
      checkedHeaderLists.add(request.headers);
    }
  } catch (error) {
    // An unsupported URL, or a header value that cannot go on the wire (a newline in a configured key).
    return Promise.reject(error);
  }
  return pool.request(target, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? undefined,
    signal,
  });
}

/** Lists already checked: a provider's constant list (`postJsonThroughPool`) is checked once. */
const checkedHeaderLists = new WeakSet<readonly string[]>();

/** Lower-cased names and values of a headers object, flattened for `requestThroughPool`. */
export function headerList(headers: Readonly<Record<string, string>>): string[] {
  const list: string[] = [];
  for (const name in headers) list.push(name.toLowerCase(), headers[name]!);
  return list;
}

/**
 * A `fetch` for the AI SDK providers over the shared pool. The SDK only needs a complete response,
 * while the global `fetch` pays for WHATWG streams, request cloning and per-call setup. Behaviour the
 * SDK relies on is kept: an aborted signal rejects with the signal's reason, and a failure to connect
 * rejects with `TypeError('fetch failed')` carrying the cause, as fetch does. Redirects are not
 * followed: vendor APIs answer where they are called.
 */
async function fetchThroughPool(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  // A `Request` object carries its own body stream: leave that rare form to the real fetch.
  if (typeof input !== 'string' && !(input instanceof URL)) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  signal?.throwIfAborted();
  try {
    const answer = await requestThroughPool(input, {
      method: init?.method ?? 'GET',
      headers: headerList(plainHeaders(init?.headers)),
      body: init?.body as string | Uint8Array | null | undefined,
      signal,
    });
    const body = nullBodyStatuses.has(answer.statusCode) ? null : new Uint8Array(answer.body);
    return new Response(body, { status: answer.statusCode, headers: responseHeaders(answer.headers) });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new TypeError('fetch failed', { cause: error });
  }
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

function responseHeaders(headers: IncomingHttpHeaders): Headers {
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

/** Header lists of `postJsonThroughPool` by the caller's (constant) headers object. */
const jsonHeaderLists = new WeakMap<object, readonly string[]>();

/**
 * POST a JSON body over the shared pool and read the whole answer, for adapters that speak a wire
 * format themselves (ADR 0012): no `Response`, `Headers` or web stream in between. `headers` is
 * meant to be one object per provider; its flattened form is kept with it.
 */
export function postJsonThroughPool(
  url: string,
  options: {
    headers: Readonly<Record<string, string>>;
    body: string | readonly BodyChunk[];
    signal: AbortSignal;
  },
): Promise<PooledAnswer> {
  let headers = jsonHeaderLists.get(options.headers);
  if (!headers) {
    headers = ['content-type', 'application/json', ...headerList(options.headers)];
    jsonHeaderLists.set(options.headers, headers);
  }
  return requestThroughPool(url, { method: 'POST', headers, body: options.body, signal: options.signal });
}
