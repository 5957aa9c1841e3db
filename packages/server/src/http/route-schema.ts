import { errorCodes } from '@structured-prompt/contracts';
import { Type } from 'typebox';
import { problemContentType } from './plugins/error-handler.ts';

/** Shared schema ids, registered once with `app.addSchema` and shown under components in OpenAPI. */
const problemRef = Type.Ref('Problem');

const descriptions: Record<number, string> = {
  400: 'The request is malformed or fails validation; `errors[]` names each offending field.',
  401: 'Missing, malformed, unknown, revoked or expired API key.',
  402: 'The key has used up its monthly budget.',
  403: 'The key lacks the scope this route needs.',
  404: 'No such resource.',
  409: 'Conflicts with existing state.',
  413: 'The body is larger than the configured limit.',
  415: 'The body is not JSON.',
  422: 'The model output did not validate after every attempt.',
  429: 'Rate limit exceeded; see `Retry-After`.',
  500: 'Unexpected server error; the body never contains internal details.',
  502: 'Every upstream provider failed.',
  503: 'Not ready, shutting down, or a required dependency is down (`database_unavailable`: the database); see `Retry-After`.',
  504: 'Upstream provider timed out.',
};

/** Documents the problem+json answers a route can give, for the OpenAPI spec and the serializer. */
export function problemResponses(...statuses: number[]): Record<number, unknown> {
  const responses: Record<number, unknown> = {};
  for (const status of statuses) {
    const title = Object.values(errorCodes).find((entry) => entry.status === status)?.title ?? 'Error';
    responses[status] = {
      description: descriptions[status] ?? title,
      content: { [problemContentType]: { schema: problemRef } },
    };
  }
  return responses;
}

/** Security requirement for routes that need an API key (either header form). */
export const apiKeySecurity: Array<Record<string, string[]>> = [{ ApiKeyHeader: [] }, { BearerAuth: [] }];
