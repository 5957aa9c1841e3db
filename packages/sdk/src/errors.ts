import type { FieldError, Problem } from './types.ts';

/** A problem document as the service sends it: RFC 9457 fields plus whatever the error adds. */
export type ProblemDocument = Problem & Record<string, unknown>;

/**
 * Any error the client raises. `retryable` says whether sending the same call again may succeed; the
 * client retries those itself for calls that are safe to repeat.
 */
export class StructuredPromptError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

/** The service answered with a 4xx or 5xx; `problem` is its problem document. */
export class ApiError extends StructuredPromptError {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly problem: ProblemDocument;
  readonly errors: FieldError[];
  constructor(status: number, problem: ProblemDocument, requestId?: string) {
    super(`${status} ${problem.code}: ${problem.detail ?? problem.title}`, {
      retryable: status === 429 || status >= 500,
    });
    this.status = status;
    this.code = problem.code;
    this.problem = problem;
    this.requestId = problem.request_id ?? requestId;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

/** 400: the request itself was refused; `errors` names the offending fields. */
export class BadRequestError extends ApiError {}
/** 401: no key, or the key is unknown, expired or revoked. */
export class AuthenticationError extends ApiError {}
/** 402: the key's monthly budget is spent. */
export class BudgetExceededError extends ApiError {}
/** 403: the key lacks the scope this call needs. */
export class PermissionDeniedError extends ApiError {}
/** 404: no such resource (or not visible to this key). */
export class NotFoundError extends ApiError {}
/** 409: the resource is in a state that refuses this call. */
export class ConflictError extends ApiError {}
/** 413: the body is larger than the service accepts. */
export class PayloadTooLargeError extends ApiError {}

/** 422 `output_validation_failed`: no answer validated against the schema after every re-ask. */
export class ValidationFailedError extends ApiError {
  /** The model's last raw answer. */
  readonly lastOutput: string;
  readonly attempts: number;
  constructor(status: number, problem: ProblemDocument, requestId?: string) {
    super(status, problem, requestId);
    this.lastOutput = typeof problem.last_output === 'string' ? problem.last_output : '';
    this.attempts = typeof problem.attempts === 'number' ? problem.attempts : 0;
  }
}

/** 422 for any other reason (e.g. an Idempotency-Key reused with another body). */
export class UnprocessableError extends ApiError {}

/** 429: rate limit or quota; `retryAfter` is in seconds when the service said. */
export class RateLimitedError extends ApiError {
  readonly retryAfter: number | undefined;
  constructor(status: number, problem: ProblemDocument, requestId?: string, retryAfter?: number) {
    super(status, problem, requestId);
    this.retryAfter = retryAfter ?? numberOrUndefined(problem.retry_after_seconds);
  }
}

/** 5xx: the service or every provider behind it failed. */
export class ServerError extends ApiError {}

/** The call did not finish within its timeout. */
export class TimeoutError extends StructuredPromptError {}

/** The service could not be reached (DNS, refused connection, reset, CORS refusal in a browser). */
export class ConnectionError extends StructuredPromptError {}

/** The caller's AbortSignal fired. */
export class AbortedError extends StructuredPromptError {}

const byStatus: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: BudgetExceededError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
};

/** The typed error for an answer's status and problem document. */
export function errorFromProblem(
  status: number,
  problem: ProblemDocument,
  requestId?: string,
  retryAfter?: number,
): ApiError {
  if (status === 429) return new RateLimitedError(status, problem, requestId, retryAfter);
  if (status === 422 && problem.code === 'output_validation_failed') {
    return new ValidationFailedError(status, problem, requestId);
  }
  if (status === 422) return new UnprocessableError(status, problem, requestId);
  if (status >= 500) return new ServerError(status, problem, requestId);
  const ErrorClass = byStatus[status] ?? ApiError;
  return new ErrorClass(status, problem, requestId);
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
