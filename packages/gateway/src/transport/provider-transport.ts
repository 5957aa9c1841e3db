import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { Agent, type Dispatcher, EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import { defaultMaxAnswerBytes, limitAnswerSize } from './answer-size-limit.ts';
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
  const dispatcher = createDispatcher(options);
  const maxAnswerBytes = options.maxAnswerBytes ?? defaultMaxAnswerBytes;
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await undiciFetch(
      input as Parameters<typeof undiciFetch>[0],
      { ...init, dispatcher } as Parameters<typeof undiciFetch>[1],
    );
    return limitAnswerSize(response as unknown as Response, maxAnswerBytes);
  };
  return { fetch: fetch as FetchFunction, close: () => dispatcher.close() };
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
  if (!options.httpsProxy && !options.httpProxy) return new Agent(agentOptions);
  return new EnvHttpProxyAgent({
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
