import { ApiKey, IdParams } from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import { AppError } from '../../lib/app-error.ts';
import type { LimitsService } from '../../platform/limits/limits.service.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import type { ApiKeyUsageRepository } from './api-key-usage.repository.ts';
import type { ApiKeysRepository } from './api-keys.repository.ts';
import { type Actor, toApiKeyResponse } from './api-keys.service.ts';

export interface UsageResetDeps {
  repository: Pick<ApiKeysRepository, 'getById'>;
  usage: Pick<ApiKeyUsageRepository, 'forKey' | 'markReset'>;
  limits: Pick<LimitsService, 'resetKeyUsage'>;
  audit: AuditService;
}

/**
 * Starts a key's period counters over — this month's budget, this hour's requests, this minute's
 * tokens — without touching its history or the usage rollups. Audited with the usage it replaced.
 */
async function resetUsage(deps: UsageResetDeps, id: string, actor: Actor) {
  const record = await deps.repository.getById(id);
  if (!record) throw new AppError('not_found', 'No API key with this id.');
  const before = await deps.usage.forKey(id);
  await deps.usage.markReset(id, new Date());
  await deps.limits.resetKeyUsage(record);
  deps.audit.record({
    eventType: 'key.usage_reset',
    result: 'success',
    actorKeyId: actor.keyId,
    ip: actor.ip,
    requestId: actor.requestId,
    resource: `api_key:${id}`,
    details: { previous: before },
  });
  return toApiKeyResponse(record, await deps.usage.forKey(id));
}

export function usageResetRoute(app: AppInstance, deps: UsageResetDeps): void {
  app.post(
    '/v1/api-keys/:id/usage/reset',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Reset a key’s usage counters',
        description:
          'Starts the key’s period counters over: this month’s budget spend, this hour’s request count and ' +
          'this minute’s token count. The request history and the usage analytics keep every request. Audited.',
        tags: ['api-keys'],
        security: apiKeySecurity,
        params: IdParams,
        response: { 200: ApiKey, ...problemResponses(400, 401, 403, 404, 429, 500) },
      },
    },
    async (request) =>
      resetUsage(deps, request.params.id, {
        keyId: request.auth?.key.id ?? null,
        ip: request.ip,
        requestId: request.id,
      }),
  );
}
