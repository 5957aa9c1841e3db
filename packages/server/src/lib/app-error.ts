import { type ErrorCode, errorCodes, type FieldError } from '@structured-prompt/contracts';
import { GatewayError } from '@structured-prompt/gateway';

export interface AppErrorOptions {
  cause?: unknown;
  /** Whether repeating the same call later may succeed (timeouts, 429, 5xx upstream). */
  isRetryable?: boolean;
  /** Internal context for logs. Never sent to the client. */
  context?: Record<string, unknown>;
  /** Field-level errors, sent as `errors[]` in the problem document. */
  errors?: FieldError[];
  /** Extra HTTP headers for the answer (e.g. Retry-After, WWW-Authenticate). */
  headers?: Record<string, string>;
  /** Extra public members of the problem document (e.g. `last_output`). */
  extensions?: Record<string, unknown>;
}

/**
 * The one error type the service throws on purpose. Its `message` is the problem's `detail` and is
 * always written for the client; anything internal belongs in `context` or `cause`, which are logged
 * but never answered.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly isRetryable: boolean;
  readonly context: Record<string, unknown>;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(code: ErrorCode, detail: string, options: AppErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorCodes[code].status;
    this.isRetryable = options.isRetryable ?? false;
    this.context = options.context ?? {};
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

/**
 * The service's error for what was thrown, when it was thrown on purpose: an AppError as it is, a
 * gateway's routing failure with the same code, detail and public members. Undefined for anything
 * else, which is a bug.
 */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof GatewayError) {
    return new AppError(error.code, error.message, {
      cause: error,
      isRetryable: error.isRetryable,
      context: error.context,
      extensions: error.extensions,
    });
  }
  return undefined;
}
