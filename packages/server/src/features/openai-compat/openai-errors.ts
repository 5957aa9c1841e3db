import type { FieldError, OpenAiError } from '@structured-prompt/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemContentType } from '../../http/plugins/error-handler.ts';

interface ProblemFields {
  status: number;
  detail?: string;
  code?: string;
  request_id?: string;
  errors?: FieldError[];
  openai_code?: string;
  openai_param?: string;
}

/** OpenAI's `type` for a status: what its SDKs and retry logic expect to read. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 402) return 'insufficient_quota';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** The request field a validation error names, as OpenAI's `param` (`messages[0].role`). */
function paramOf(errors: readonly FieldError[] | undefined): string | null {
  const path = errors?.[0]?.path;
  if (path === undefined || !path.startsWith('/body/')) return null;
  return path
    .slice('/body/'.length)
    .split('/')
    .map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : `${index === 0 ? '' : '.'}${segment}`))
    .join('');
}

/** A problem document in OpenAI's error shape, keeping our request id and validation errors. */
export function toOpenAiError(problem: ProblemFields): OpenAiError {
  const error: OpenAiError['error'] = {
    message: problem.detail ?? 'The request failed.',
    type: errorType(problem.status),
    param: problem.openai_param ?? paramOf(problem.errors),
    code: problem.openai_code ?? problem.code ?? null,
  };
  if (problem.request_id !== undefined) error.request_id = problem.request_id;
  if (problem.errors !== undefined) error.errors = problem.errors;
  return { error };
}

/**
 * `onSend` hook for the OpenAI-compatible routes: the app's problem documents (auth, limits, validation,
 * pipeline failures) leave in OpenAI's error shape, so OpenAI clients read them as their own errors.
 */
export async function answerInOpenAiShape(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  const type = reply.getHeader('content-type');
  if (typeof type !== 'string' || !type.startsWith(problemContentType) || typeof payload !== 'string') {
    return payload;
  }
  reply.type('application/json; charset=utf-8');
  return JSON.stringify(toOpenAiError(JSON.parse(payload) as ProblemFields));
}
