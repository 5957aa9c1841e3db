import { toProviderFailure } from '@structured-prompt/contracts';
import type { FailedAttempt } from '../spec/gateway.ts';
import { GatewayError } from '../spec/gateway-error.ts';
import { ProviderError } from '../spec/provider-error.ts';

/** Every candidate failed; carries the attempts so the pipeline can log and bill them. */
export class AllProvidersFailedError extends GatewayError {
  readonly failedAttempts: FailedAttempt[];
  constructor(failedAttempts: FailedAttempt[], timedOut: boolean) {
    const tried = [...new Set(failedAttempts.map((attempt) => attempt.provider))].join(', ') || 'none';
    super(
      timedOut ? 'provider_timeout' : 'provider_error',
      timedOut
        ? `The request deadline passed before a provider answered (tried: ${tried}).`
        : `Every provider failed (tried: ${tried}).`,
      {
        isRetryable: true,
        context: { failedAttempts },
        extensions: {
          failed_attempts: failedAttempts.map(toProviderFailure),
        },
      },
    );
    this.failedAttempts = failedAttempts;
  }
}

/** Whatever a provider threw, as a ProviderError, with aborts attributed to the right signal. */
export function classify(
  provider: string,
  caught: unknown,
  callerSignal: AbortSignal,
  timedOut: boolean,
): ProviderError {
  if (callerSignal.aborted) {
    return new ProviderError(provider, 'aborted', 'request deadline passed', {
      cause: caught,
      isRetryable: false,
    });
  }
  if (caught instanceof ProviderError) {
    if (caught.kind === 'aborted' && timedOut)
      return new ProviderError(provider, 'timeout', 'timed out', { cause: caught });
    return caught;
  }
  if (timedOut) return new ProviderError(provider, 'timeout', 'timed out', { cause: caught });
  const message = caught instanceof Error ? caught.message : String(caught);
  return new ProviderError(provider, 'server_error', message, { cause: caught, isRetryable: false });
}
