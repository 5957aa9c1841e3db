import {
  type ErrorCode,
  errorCodes,
  type FieldError,
  type Problem,
  problemType,
} from '@structured-prompt/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, toAppError } from '../../lib/app-error.ts';
import { isDatabaseUnavailable } from '../../platform/storage/database-unavailable.ts';
import { outcomeLevel } from '../log-level.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The problem code this request was answered with, for its access-log line. */
    problemCode: ErrorCode | null;
  }
}

export const problemContentType = 'application/problem+json';

/** Builds the RFC 9457 document for an error code; `detail` must already be safe to show. */
function buildProblem(
  request: FastifyRequest,
  code: ErrorCode,
  detail: string,
  extra: { errors?: FieldError[]; extensions?: Record<string, unknown> } = {},
): Problem {
  const { status, title } = errorCodes[code];
  const problem: Problem = {
    ...extra.extensions,
    type: problemType(code),
    title,
    status,
    detail,
    code,
    request_id: request.id,
    instance: request.url.split('?')[0] ?? request.url,
  };
  if (extra.errors && extra.errors.length > 0) problem.errors = extra.errors;
  return problem;
}

function sendProblem(
  reply: FastifyReply,
  problem: Problem,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply.code(problem.status).headers(headers).type(problemContentType).send(problem);
}

/** Fastify's own errors (body parsing, schema validation) mapped onto our codes. */
function fromFastifyError(error: FastifyError): AppError | undefined {
  if (error.validation) {
    const context = error.validationContext ?? 'body';
    const errors: FieldError[] = error.validation.map((issue) => {
      const missing = (issue.params as { missingProperty?: string } | undefined)?.missingProperty;
      const extraProperty = (issue.params as { additionalProperty?: string } | undefined)?.additionalProperty;
      const pointer = `/${context}${issue.instancePath}${missing ? `/${missing}` : ''}${extraProperty ? `/${extraProperty}` : ''}`;
      const message =
        issue.keyword === 'additionalProperties'
          ? 'is not an accepted property'
          : (issue.message ?? 'is invalid');
      return { path: pointer, message, keyword: issue.keyword };
    });
    const summary = errors.map((entry) => `${entry.path} ${entry.message}`).join('; ');
    return new AppError('validation_error', summary, { errors });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is larger than the accepted limit.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', 'The body is empty but the content type says JSON.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('invalid_json', 'The body is not valid JSON.');
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new AppError('invalid_json', 'The body is not valid JSON.');
  }
  if (error.code === 'FST_ERR_NOT_FOUND') return new AppError('not_found', 'No such route.');
  // Other 4xx raised by Fastify or a plugin: keep the status, but never their raw message, which
  // can name internals; the code alone is enough for the client.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    const code = (Object.keys(errorCodes) as ErrorCode[]).find(
      (candidate) => errorCodes[candidate].status === error.statusCode,
    );
    return new AppError(code ?? 'bad_request', 'The request could not be processed.');
  }
  return undefined;
}

/** Seconds a client is asked to wait while the database is unreachable: about one reconnect attempt. */
const databaseRetryAfterSeconds = 5;

/**
 * A database that cannot be reached is an outage, not a bug: 503 with its own code and Retry-After,
 * so clients and load balancers back off and retry instead of reporting an internal error.
 */
function fromDatabaseOutage(error: unknown): AppError | undefined {
  if (!isDatabaseUnavailable(error)) return undefined;
  return new AppError('database_unavailable', 'The database is unavailable right now; retry shortly.', {
    cause: error,
    isRetryable: true,
    headers: { 'retry-after': String(databaseRetryAfterSeconds) },
  });
}

/**
 * The problem document for an error thrown after an answer started streaming, where the error
 * handler can no longer answer: the same document it would have sent, logged the same way.
 */
export function problemFor(request: FastifyRequest, error: unknown): Problem {
  const known = toAppError(error) ?? fromDatabaseOutage(error);
  if (known) {
    request.log.debug({ err: error, code: known.code, context: known.context }, 'streamed request failed');
    return buildProblem(request, known.code, known.message, {
      errors: known.errors,
      extensions: known.extensions,
    });
  }
  request.log.error({ err: error, api_key_id: request.auth?.key.id }, 'unhandled error in a stream');
  return buildProblem(
    request,
    'internal_error',
    'An unexpected error occurred. Quote the request id when reporting it.',
  );
}

/** One error handler and one 404 handler for the whole app: every failure is problem+json. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('problemCode', null);
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const known = toAppError(error) ?? fromFastifyError(error) ?? fromDatabaseOutage(error);
      if (known) {
        request.problemCode = known.code;
        // The access-log line reports every failure at its level; a server error also needs its cause.
        const level = outcomeLevel(request, known.status) === 'error' ? 'error' : 'debug';
        request.log[level](
          { err: error, code: known.code, context: known.context, api_key_id: request.auth?.key.id },
          'request failed',
        );
        return sendProblem(
          reply,
          buildProblem(request, known.code, known.message, {
            errors: known.errors,
            extensions: known.extensions,
          }),
          known.headers,
        );
      }
      // Anything else is a bug: log everything, answer nothing about it.
      request.problemCode = 'internal_error';
      request.log.error({ err: error, api_key_id: request.auth?.key.id }, 'unhandled error');
      return sendProblem(
        reply,
        buildProblem(
          request,
          'internal_error',
          'An unexpected error occurred. Quote the request id when reporting it.',
        ),
      );
    });

    app.setNotFoundHandler((request, reply) => {
      request.problemCode = 'not_found';
      return sendProblem(
        reply,
        buildProblem(request, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`),
      );
    });
  },
  { name: 'error-handler' },
);
