/** Why a provider call failed, as far as the router needs to know to decide what to do next. */
export type ProviderFailureKind =
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'connection'
  | 'bad_request'
  | 'authentication'
  | 'malformed_response'
  | 'aborted'
  /** The router's circuit breaker for this provider is open: the call was not made. */
  | 'circuit_open';

/**
 * A failed provider call. `isRetryable` tells the router whether the same provider may be tried again
 * (timeouts, 429, 5xx, connection errors); a 4xx caused by the request never is.
 */
export class ProviderError extends Error {
  readonly provider: string;
  readonly kind: ProviderFailureKind;
  readonly isRetryable: boolean;
  readonly statusCode: number | undefined;
  /** From the vendor's `Retry-After` (or equivalent) header, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    provider: string,
    kind: ProviderFailureKind,
    message: string,
    options: { cause?: unknown; statusCode?: number; retryAfterMs?: number; isRetryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = provider;
    this.kind = kind;
    this.statusCode = options.statusCode;
    this.retryAfterMs = options.retryAfterMs;
    this.isRetryable =
      options.isRetryable ??
      (kind === 'timeout' || kind === 'rate_limited' || kind === 'server_error' || kind === 'connection');
  }
}
