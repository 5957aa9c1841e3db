import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The `fetch` signature the AI SDK provider factories accept. */
export type FetchFunction = typeof globalThis.fetch;

/** Statuses whose responses carry no body; `new Response` refuses one for them. */
const nullBodyStatuses = new Set([101, 204, 205, 304]);

/** A vendor answer larger than this is refused: a misbehaving server must not fill our memory. */
export const maxAnswerBytes = 16 * 1024 * 1024;

export class OversizedAnswerError extends Error {
  override readonly name = 'OversizedAnswerError';
}

/** A whole answer from a vendor, read into memory (we never stream from cloud providers). */
export interface PooledAnswer {
  statusCode: number;
  /** Lower-cased names as Node parses them: repeated headers joined with ", ", `set-cookie` a list. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Keep-alive pools shared by every provider of the process, on Node's own HTTP client (ADR 0013).
 * `timeout` closes a connection idle for 10 s, or earlier when the server announces a shorter
 * `Keep-Alive: timeout`, so a pooled socket is not reused just as the server drops it; it never
 * applies to a call in progress (deadlines do, through the signal). `lifo` keeps reusing the warmest
 * connections and lets the rest expire after a burst.
 */
const poolOptions = { keepAlive: true, timeout: 10_000, scheduling: 'lifo' } as const;
let httpPool: HttpAgent | undefined;
let httpsPool: HttpsAgent | undefined;

function poolFor(secure: boolean): HttpAgent {
  if (secure) {
    httpsPool ??= new HttpsAgent(poolOptions);
    return httpsPool;
  }
  httpPool ??= new HttpAgent(poolOptions);
  return httpPool;
}

interface Target {
  secure: boolean;
  hostname: string;
  port: string;
  path: string;
  /** `Host` header value. */
  host: string;
}

/** Parsed provider URLs: a handful per process (one per configured endpoint), parsed once each. */
const targets = new Map<string, Target>();
const maxTargets = 256;

function targetOf(url: string | URL): Target {
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
  body?: string | Uint8Array | readonly Uint8Array[] | null;
  signal?: AbortSignal | null;
}

/**
 * One request over the shared pool; resolves with the whole answer. Rejects with the signal's reason
 * once it is aborted, with `OversizedAnswerError` past `maxAnswerBytes`, and otherwise with what the
 * connection failed with (`ECONNREFUSED`, a reset, a connection closed before the answer ended).
 *
 * Written for the per-call cost (ADR 0013): headers go to Node as a flat list (no `setHeader` per
 * name), and the signal is watched with one listener rather than through `http.request`'s `signal`
 * option, which tracks the request with stream end-of-life listeners.
 */
export function requestThroughPool(url: string | URL, request: PoolRequest): Promise<PooledAnswer> {
  const signal = request.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  let outgoing: ClientRequest;
  try {
    outgoing = send(targetOf(url), request.method, request.headers, request.body ?? undefined);
  } catch (error) {
    // A header value Node refuses (a newline in a configured key, say) throws here.
    return Promise.reject(error);
  }
  return answerOf(outgoing, signal);
}

/**
 * Starts the request and hands it the body. Kept apart from `answerOf`'s closures on purpose: a body
 * captured there would stay reachable until the answer arrives, and with a slow provider hundreds of
 * request bodies (several KB each, the system prompt included) would survive every young-generation
 * collection meanwhile.
 */
function send(
  target: Target,
  method: string,
  extraHeaders: readonly string[],
  body: string | Uint8Array | readonly Uint8Array[] | undefined,
): ClientRequest {
  const headers = ['host', target.host, ...extraHeaders];
  if (body !== undefined) headers.push('content-length', String(byteLength(body)));
  const outgoing = (target.secure ? httpsRequest : httpRequest)({
    hostname: target.hostname,
    port: target.port,
    path: target.path,
    method,
    // Node takes a flat [name, value, …] list; its types only know the object form.
    headers: headers as unknown as OutgoingHttpHeaders,
    setHost: false,
    agent: poolFor(target.secure),
  });
  if (isChunkList(body)) {
    // Written before the socket is attached, the chunks are queued and go out in one corked write.
    for (let index = 0; index < body.length - 1; index++) outgoing.write(body[index]);
    outgoing.end(body.at(-1));
  } else {
    outgoing.end(body);
  }
  return outgoing;
}

function isChunkList(
  body: string | Uint8Array | readonly Uint8Array[] | undefined,
): body is readonly Uint8Array[] {
  return Array.isArray(body);
}

function byteLength(body: string | Uint8Array | readonly Uint8Array[]): number {
  if (!isChunkList(body)) return Buffer.byteLength(body);
  let total = 0;
  for (const chunk of body) total += chunk.byteLength;
  return total;
}

/** The whole answer to `outgoing`; errors and events are only emitted after this has subscribed. */
function answerOf(outgoing: ClientRequest, signal: AbortSignal | undefined): Promise<PooledAnswer> {
  return new Promise<PooledAnswer>((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, answer?: PooledAnswer) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (answer) resolve(answer);
      else reject(signal?.aborted ? signal.reason : error);
    };
    const onAbort = () => {
      settle(signal?.reason);
      outgoing.destroy();
    };
    outgoing.once('response', (answer: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      answer.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxAnswerBytes) {
          // Settled first: the events the destroy causes must not replace the reason.
          settle(new OversizedAnswerError(`the answer is larger than ${maxAnswerBytes} bytes`));
          outgoing.destroy();
          return;
        }
        chunks.push(chunk);
      });
      answer.on('end', () =>
        settle(undefined, {
          statusCode: answer.statusCode ?? 0,
          headers: answer.headers,
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
        }),
      );
      // Also how a connection cut mid-body ends: ECONNRESET "aborted".
      answer.on('error', settle);
    });
    outgoing.on('error', settle);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

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
    body: string | readonly Uint8Array[];
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
