import {
  CacheStatsResponse,
  InvalidateQuery,
  InvalidateResponse,
  WarmParams,
  WarmReport,
  WarmRequest,
} from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import { AppError } from '../../lib/app-error.ts';
import type { AnalyzeService } from '../analyze/analyze.service.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import type { ResponseCacheService } from './response-cache.service.ts';

const tags = ['cache'];

/** What the cache routes work with; `maxBatchItems` bounds one warming run. */
export interface CacheRouteDeps {
  cache: ResponseCacheService;
  analyze: AnalyzeService;
  audit: AuditService;
  maxBatchItems: number;
}

export function cacheRoutes(app: AppInstance, deps: CacheRouteDeps): void {
  statsRoute(app, deps);
  invalidateRoute(app, deps);
  warmRoute(app, deps);
  warmStatusRoute(app, deps);
}

function statsRoute(app: AppInstance, deps: CacheRouteDeps): void {
  app.get(
    '/v1/analyze/cache/stats',
    {
      schema: {
        summary: 'Response cache statistics',
        description:
          'Hits, misses, hit rate, coalesced requests, tokens and USD saved since this replica started, entries ' +
          'and bytes per level, and (with Redis) the same counters summed over every replica.',
        tags,
        security: apiKeySecurity,
        response: { 200: CacheStatsResponse, ...problemResponses(401, 429, 500) },
      },
    },
    async () => deps.cache.stats(),
  );
}

function invalidateRoute(app: AppInstance, deps: CacheRouteDeps): void {
  app.delete(
    '/v1/cache',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Invalidate cached responses',
        description:
          'Removes every cached answer whose schema namespace matches `pattern` (`*` is a wildcard; the default ' +
          'schema is `default`, an inline schema is named after its `title`). Redis is scanned incrementally, never ' +
          'blocked. Admin only, and audit-logged.',
        tags,
        security: apiKeySecurity,
        querystring: InvalidateQuery,
        response: { 200: InvalidateResponse, ...problemResponses(400, 401, 403, 429, 500) },
      },
    },
    async (request) => {
      const { pattern } = request.query;
      const result = await deps.cache.invalidate(pattern);
      deps.audit.record({
        eventType: 'cache.invalidated',
        result: 'success',
        actorKeyId: request.auth?.key.id ?? null,
        ip: request.ip,
        requestId: request.id,
        resource: `cache:${pattern}`,
        details: { removed: result.removed, complete: result.complete },
      });
      return { pattern, removed: result.removed, complete: result.complete };
    },
  );
}

function warmRoute(app: AppInstance, deps: CacheRouteDeps): void {
  app.post(
    '/v1/cache/warm',
    {
      schema: {
        summary: 'Warm the cache',
        description:
          'Runs a list of analyze requests in the background so later identical requests are answered from the ' +
          'cache. Each item counts against the calling key like a normal request. Answers 202 with a report id.',
        tags,
        security: apiKeySecurity,
        body: WarmRequest,
        response: { 202: WarmReport, ...problemResponses(400, 401, 413, 429, 500) },
      },
    },
    async (request, reply) => {
      const { key } = requireAuth(request);
      const maxItems = deps.maxBatchItems;
      if (request.body.items.length > maxItems) {
        throw new AppError('validation_error', `At most ${maxItems} items can be warmed at once.`, {
          errors: [
            {
              path: '/body/items',
              message: `must NOT have more than ${maxItems} items`,
              keyword: 'maxItems',
            },
          ],
        });
      }
      const handle = deps.cache.warm(
        request.body.items,
        async (item, _signal) => {
          const answer = await deps.analyze.analyze(item, {
            key,
            requestId: `${request.id}:warm`,
            ip: request.ip,
          });
          return { cached: answer.cached };
        },
        { ownerKeyId: key.id },
      );
      return reply.code(202).header('location', `/v1/cache/warm/${handle.id}`).send(handle.report());
    },
  );
}

function warmStatusRoute(app: AppInstance, deps: CacheRouteDeps): void {
  app.get(
    '/v1/cache/warm/:id',
    {
      schema: {
        summary: 'Progress of a warming run',
        description:
          'How many items were warmed, were already cached, or failed. Readable by the key that started the ' +
          'run and by admin keys; for any other key the run does not exist (404).',
        tags,
        security: apiKeySecurity,
        params: WarmParams,
        response: { 200: WarmReport, ...problemResponses(401, 404, 429, 500) },
      },
    },
    async (request) => {
      const { key, isAdmin } = requireAuth(request);
      const run = deps.cache.warmStatus(request.params.id);
      // Another key's run answers exactly like an unknown id, so ids reveal nothing about other keys.
      if (!run || (run.ownerKeyId !== key.id && !isAdmin)) {
        throw new AppError('not_found', 'No warming run with that id on this replica.');
      }
      return run.report;
    },
  );
}
