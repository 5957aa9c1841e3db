import { BatchRequest, BatchResponse } from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import { AppError } from '../../lib/app-error.ts';
import type { BatchService } from './batch.service.ts';

export interface BatchRouteDeps {
  service: BatchService;
  /** `MAX_BATCH_ITEMS`: larger sets belong in an asynchronous job. */
  maxItems: number;
}

const url = '/v1/analyze/batch';
const jobsUrl = '/v1/jobs';

export function batchRoutes(app: AppInstance, deps: BatchRouteDeps): void {
  app.post(
    url,
    {
      // A retry with the same Idempotency-Key answers the first response again instead of re-running it.
      config: { idempotent: true },
      // Counted before the items are validated one by one: a set too large is refused for its size.
      preValidation: async (request) => refuseOversized(request.body, deps.maxItems),
      schema: {
        summary: 'Analyze up to 100 prompts in one request',
        description:
          `Runs every item as \`POST /v1/analyze\` would, with \`defaults\` merged under each item, and answers ` +
          `with one result per item, in order: the analyze answer, or the problem document of that item. ` +
          `Identical items are computed once; the cache is read for the whole batch at once; the rest runs ` +
          `in parallel. Each item counts as one request against the key's hourly limit, checked up front: a ` +
          `batch that does not fit is refused whole (429). Tokens per minute and the monthly budget are ` +
          `reserved item by item: an item that does not fit gets its own 429 or 402 in its place. More than ` +
          `\`MAX_BATCH_ITEMS\` (100) items: 400, send them as an asynchronous job (\`${jobsUrl}\`). ` +
          `Send an \`Idempotency-Key\` header to make a retry safe: the same key and body within 24 h answer ` +
          `the first response again with \`Idempotent-Replayed: true\`; another body with the same key is a 422, ` +
          `and a repeat while the first still runs is a 409.`,
        tags: ['analyze'],
        security: apiKeySecurity,
        body: BatchRequest,
        response: { 200: BatchResponse, ...problemResponses(400, 401, 409, 413, 415, 422, 429, 500, 503) },
      },
    },
    async (request, reply) => {
      const { key } = requireAuth(request);
      const answer = await deps.service.run(
        request.body,
        { key, requestId: request.id, ip: request.ip },
        url,
      );
      reply.headers(answer.headers);
      return answer.body;
    },
  );
}

function refuseOversized(body: unknown, maxItems: number): void {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || items.length <= maxItems) return;
  throw new AppError(
    'validation_error',
    `A batch holds at most ${maxItems} items; this one has ${items.length}. Send larger sets as an ` +
      `asynchronous job (POST ${jobsUrl}), or split them into batches of ${maxItems}.`,
    {
      errors: [
        { path: '/body/items', message: `must NOT have more than ${maxItems} items`, keyword: 'maxItems' },
      ],
      extensions: { max_items: maxItems, jobs_url: jobsUrl },
    },
  );
}
