import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import type { Dispatcher } from 'undici';
import { loadOnFirstUse } from '../lib/load-on-first-use.ts';
import {
  boundedStream,
  defaultMaxAnswerBytes,
  OversizedAnswerError,
  readBoundedBody,
} from './answer-size-limit.ts';
import type { TransportOptions } from './transport-options.ts';

/** The `fetch` signature the AI SDK provider factories accept. */
export type FetchFunction = typeof globalThis.fetch;

/** The connections to vendor APIs of one gateway: a `fetch` for the adapters, and their release. */
export interface ProviderTransport {
  readonly fetch: FetchFunction;
  /** Waits for calls in flight, then closes every kept-alive connection. */
  close(): Promise<void>;
}

/**
 * One undici dispatcher for every provider of a gateway (ADR 0027): kept-alive connections per
 * origin, optionally capped, through a proxy when one is configured, trusting extra certificate
 * authorities when a CA file is given. Calls are bounded by the caller's abort signal (the
 * provider timeout and the request deadline), so undici's own header and body timeouts are off.
 */
export function createProviderTransport(options: TransportOptions = {}): ProviderTransport {
  // Created on the first call: a server that never calls a vendor never loads undici (ADR 0010).
  let dispatcher: Dispatcher | undefined;
  const maxAnswerBytes = options.maxAnswerBytes ?? defaultMaxAnswerBytes;
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    dispatcher ??= createDispatcher(options);
    return fetchWhole(dispatcher, maxAnswerBytes, input, init);
  };
  return { fetch: fetch as FetchFunction, close: async () => dispatcher?.close() };
}

const undici = loadOnFirstUse<typeof import('undici')>('undici', import.meta.url);

/** Statuses whose responses carry no body; `new Response` refuses one for them. */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` over undici's `request` that reads the whole answer before resolving (ADR 0027), except a
 * streamed one (`text/event-stream`), whose body is passed on as it arrives. Vendor
 * calls need the complete answer anyway, and undici's WHATWG `fetch` costs about twice the CPU per
 * call, which at hundreds of calls in flight shows as added latency. Fetch's contract is kept where
 * the AI SDK relies on it: an aborted signal rejects with its reason, a failure to connect rejects
 * with `TypeError('fetch failed')` carrying the cause, and redirects are not followed.
 */
async function fetchWhole(
  dispatcher: Dispatcher,
  maxAnswerBytes: number,
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Response> {
  if (input instanceof Request) throw new TypeError('the provider transport takes a URL, not a Request');
  const url = new URL(input);
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  try {
    const answer = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: plainHeaders(init.headers),
      body: init.body as string | Uint8Array | null | undefined,
      signal,
    });
    if (isEventStream(answer.statusCode, answer.headers['content-type'])) {
      // A streamed answer is handed on as it arrives; everything else is read whole.
      return new Response(boundedStream(answer.body, maxAnswerBytes, signal), {
        status: answer.statusCode,
        headers: responseHeaders(answer.headers),
      });
    }
    const body = await readBoundedBody(answer.body, answer.headers['content-length'], maxAnswerBytes);
    return new Response(nullBodyStatuses.has(answer.statusCode) ? null : new Uint8Array(body), {
      status: answer.statusCode,
      headers: responseHeaders(answer.headers),
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof OversizedAnswerError) throw error;
    throw new TypeError('fetch failed', { cause: error });
  }
}

function isEventStream(status: number, contentType: string | string[] | undefined): boolean {
  return (
    status >= 200 &&
    status < 300 &&
    typeof contentType === 'string' &&
    contentType.startsWith('text/event-stream')
  );
}

/** Header names lower-cased; the AI SDK leaves optional headers undefined instead of omitting them. */
function plainHeaders(headers: HeadersInit | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers === undefined) return result;
  const entries =
    headers instanceof Headers || Array.isArray(headers)
      ? (headers as Iterable<[string, string]>)
      : Object.entries(headers as Record<string, string | undefined>);
  for (const [name, value] of entries) if (value !== undefined) result[name.toLowerCase()] = value;
  return result;
}

function responseHeaders(headers: Record<string, string | string[] | undefined>): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) result.append(name, item);
  }
  return result;
}

function createDispatcher(options: TransportOptions): Dispatcher {
  const trust = trustOptions(options.caFile);
  const agentOptions = {
    connections: options.connectionsPerOrigin ?? null,
    keepAliveTimeout: 10_000,
    headersTimeout: 0,
    bodyTimeout: 0,
    ...(trust ? { connect: trust } : {}),
  };
  if (!options.httpsProxy && !options.httpProxy) return new (undici().Agent)(agentOptions);
  return new (undici().EnvHttpProxyAgent)({
    ...agentOptions,
    // Empty strings rather than undefined: for undefined, undici would read the process environment.
    httpProxy: options.httpProxy ?? '',
    httpsProxy: options.httpsProxy ?? '',
    noProxy: options.noProxy ?? '',
    // http:// targets go to the proxy as absolute-URI requests, as curl sends them; https:// ones
    // always go through a CONNECT tunnel, with TLS to the vendor inside it.
    proxyTunnel: false,
    ...(trust ? { requestTls: trust, proxyTls: trust } : {}),
  });
}

/**
 * TLS options that trust the CA file's certificates besides the default ones. A `ca` option
 * replaces Node's trusted list, so that list is passed along with the file's certificates.
 */
function trustOptions(caFile: string | undefined): tls.ConnectionOptions | undefined {
  if (!caFile) return undefined;
  const extra = readFileSync(caFile, 'utf8');
  // getCACertificates (Node ≥ 22.15) also covers NODE_EXTRA_CA_CERTS and --use-system-ca.
  const defaults =
    typeof tls.getCACertificates === 'function'
      ? tls.getCACertificates('default')
      : [...tls.rootCertificates];
  return { ca: [...defaults, extra] };
}
