import type { ErrorCode } from '@structured-prompt/contracts';

export interface GatewayErrorOptions {
  cause?: unknown;
  isRetryable?: boolean;
  /** Internal context for logs; never shown to a client. */
  context?: Record<string, unknown>;
  /** Public members a server may add to its error document (e.g. `failed_attempts`). */
  extensions?: Record<string, unknown>;
}

/**
 * A routing failure the caller should see: an unknown or disabled provider, a model nobody serves, or
 * every candidate failing. Its `code` is one of the service's public error codes and its message is
 * written for the client; the server turns it into its own error answer.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly isRetryable: boolean;
  readonly context: Record<string, unknown>;
  readonly extensions: Record<string, unknown>;

  constructor(code: ErrorCode, detail: string, options: GatewayErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.isRetryable = options.isRetryable ?? false;
    this.context = options.context ?? {};
    this.extensions = options.extensions ?? {};
  }
}
