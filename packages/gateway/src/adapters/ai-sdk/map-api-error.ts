import { APICallError } from '@ai-sdk/provider';
import { ProviderError, type ProviderFailureKind } from '../../spec/provider-error.ts';
import { oversizedAnswerIn } from '../../transport/index.ts';
import { parseErrorBody, parseRetryAfter, redactSecrets } from './parse-error-body.ts';

/** HTTP status → what the router should do about it. */
function kindOfStatus(status: number): ProviderFailureKind {
  if (status === 401 || status === 403) return 'authentication';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  // 409 (conflict/lock) and 425 are transient by nature; 529 is Anthropic's "overloaded".
  if (status >= 500 || status === 409 || status === 425) return 'server_error';
  return 'bad_request';
}

/**
 * Turns whatever an AI SDK call threw into a `ProviderError`: HTTP failures by status (with
 * `Retry-After` from headers or Google's RetryInfo), aborts into `timeout` or `aborted` depending
 * on which signal fired, response-shape errors and answers over the transport's size limit into
 * `malformed_response`, the rest into `connection`.
 */
export function toProviderError(provider: string, error: unknown, signal: AbortSignal): ProviderError {
  if (error instanceof ProviderError) return error;
  const oversized = oversizedAnswerIn(error);
  if (oversized && !signal.aborted) {
    return new ProviderError(provider, 'malformed_response', `malformed response: ${oversized.message}`, {
      cause: error,
    });
  }
  if (signal.aborted) {
    const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
    return new ProviderError(
      provider,
      timedOut ? 'timeout' : 'aborted',
      timedOut ? 'timed out' : 'aborted by the caller',
      {
        cause: error,
      },
    );
  }
  if (APICallError.isInstance(error)) {
    const body = parseErrorBody(error.responseBody);
    const retryAfterMs = parseRetryAfter(error.responseHeaders) ?? body.retryAfterMs;
    if (error.statusCode === undefined) {
      return new ProviderError(provider, 'connection', redactSecrets(`connection failed: ${error.message}`), {
        cause: error,
      });
    }
    // A 2xx whose body is not what the vendor documents (an HTML error page from a proxy, say).
    const malformed = error.statusCode < 400;
    const kind = malformed ? 'malformed_response' : kindOfStatus(error.statusCode);
    const detail = malformed ? `malformed response: ${error.message}` : (body.message ?? error.message);
    return new ProviderError(provider, kind, redactSecrets(`HTTP ${error.statusCode}: ${detail}`), {
      cause: error,
      statusCode: error.statusCode,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new ProviderError(provider, 'timeout', `aborted: ${message}`, { cause: error });
  }
  if (/InvalidResponseData|JSONParse|TypeValidation|EmptyResponseBody|NoContentGenerated/.test(name)) {
    return new ProviderError(provider, 'malformed_response', `malformed response: ${message}`, {
      cause: error,
    });
  }
  return new ProviderError(provider, 'connection', message, { cause: error });
}
