import {
  AbortedError,
  ApiError,
  ConnectionError,
  errorFromProblem,
  type ProblemDocument,
  StructuredPromptError,
  TimeoutError,
} from './errors.ts';
import { defaultRetryPolicy, parseRetryAfter, type RetryPolicy, retryDelayMs, sleep } from './retry.ts';

/** Settings of one call, on top of the client's. */
export interface CallOptions {
  /** Cancels the call, including any wait between retries. */
  signal?: AbortSignal;
  /** Milliseconds one attempt may take (the client's `timeoutMs` when omitted). */
  timeoutMs?: number;
  /** Attempts after the first, for calls that are safe to repeat. */
  maxRetries?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  headers?: Record<string, string>;
}

export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /**
   * Whether the call may be sent again after a 5xx, a timeout or a lost connection. Calls that create
   * work are safe only with an Idempotency-Key; any call is retried after a 429, which did nothing.
   */
  idempotent: boolean;
  options?: CallOptions;
}

/** Sends calls to the service: auth, JSON, timeouts, typed errors, retries with backoff. */
export class Transport {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #headers: Record<string, string>;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    // Bound so that browsers accept the call (an unbound `fetch` throws "Illegal invocation").
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#retry = { ...defaultRetryPolicy, ...options.retry };
    this.#headers = options.headers ?? {};
  }

  /** Sends the call and decodes the JSON answer (undefined for 204). */
  async json<T>(spec: RequestSpec): Promise<T> {
    const response = await this.send(spec);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }

  /**
   * Sends the call and returns the successful Response unread, for bodies that are not one JSON
   * document (exports, event streams). Errors are thrown as for `json`.
   */
  async send(spec: RequestSpec): Promise<Response> {
    const maxRetries = spec.options?.maxRetries ?? this.#retry.maxRetries;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(spec);
      } catch (error) {
        const retryAfter = error instanceof ApiError ? retryAfterOf(error) : undefined;
        if (attempt >= maxRetries || !this.#mayRetry(error, spec, retryAfter)) throw error;
        await sleep(retryDelayMs(this.#retry, attempt, retryAfter), spec.options?.signal);
      }
    }
  }

  #mayRetry(error: unknown, spec: RequestSpec, retryAfter: number | undefined): boolean {
    if (!(error instanceof StructuredPromptError) || !error.retryable) return false;
    if (retryAfter !== undefined && retryAfter * 1000 > this.#retry.maxDelayMs) return false;
    if (error instanceof ApiError && error.status === 429) return true;
    return spec.idempotent;
  }

  async #attempt(spec: RequestSpec): Promise<Response> {
    const caller = spec.options?.signal;
    if (caller?.aborted) throw new AbortedError('aborted', { cause: caller.reason });
    const timeout = AbortSignal.timeout(spec.options?.timeoutMs ?? this.#timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.#fetch(this.url(spec.path, spec.query), {
        method: spec.method,
        headers: this.#requestHeaders(spec),
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
      });
    } catch (error) {
      if (caller?.aborted) throw new AbortedError('aborted', { cause: caller.reason });
      if (timeout.aborted) throw new TimeoutError('the call timed out', { retryable: true, cause: error });
      throw new ConnectionError(`could not reach ${this.baseUrl}`, { retryable: true, cause: error });
    }
    if (response.ok) return response;
    throw await errorOf(response);
  }

  #requestHeaders(spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.#headers };
    if (this.#apiKey) headers['x-api-key'] = this.#apiKey;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    return { ...headers, ...spec.options?.headers };
  }

  /** The absolute URL of a path with its query (arrays repeat the parameter; empty values are left out). */
  url(path: string, query: Query = {}): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      const values = Array.isArray(value) ? value : [value];
      for (const item of values) url.searchParams.append(name, String(item));
    }
    return url.toString();
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  return errorFromProblem(response.status, problemOf(response, text, requestId), requestId, retryAfter);
}

/** The problem document, or one made from a non-problem answer (e.g. a proxy's HTML error page). */
function problemOf(response: Response, text: string, requestId: string | undefined): ProblemDocument {
  try {
    const parsed = JSON.parse(text) as ProblemDocument;
    if (parsed && typeof parsed === 'object' && typeof parsed.code === 'string') return parsed;
  } catch {
    // not JSON: fall through
  }
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text.slice(0, 500),
    code: `http_${response.status}`,
    request_id: requestId ?? '',
  };
}

function retryAfterOf(error: ApiError): number | undefined {
  return 'retryAfter' in error ? (error.retryAfter as number | undefined) : undefined;
}
