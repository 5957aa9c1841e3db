import type { DeletionReceipt } from '@structured-prompt/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { DataLifecycle, ErasureScope } from '../../platform/storage/data-lifecycle.ts';
import type { Actor } from '../api-keys/api-keys.service.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import type { ResponseCacheService } from '../cache/response-cache.service.ts';
import type { ErasureRepository } from './erasure.repository.ts';
import type { Caller, HistoryService } from './history.service.ts';

export interface ErasureServiceDeps {
  repository: ErasureRepository;
  history: HistoryService;
  cache: Pick<ResponseCacheService, 'deleteKeys'>;
  lifecycle: DataLifecycle;
  audit: AuditService;
}

const kept = [
  'request counters without content (status, provider, model, tokens, cost, latency)',
  'usage rollups (anonymised totals for billing)',
  'audit log entries',
];

/**
 * Erases prompts and answers — from the request logs, the response cache (both levels) and every
 * registered data class (job results, …) — keeps the counters billing needs, writes an audit event and
 * answers a receipt.
 */
export class ErasureService {
  readonly #deps: ErasureServiceDeps;

  constructor(deps: ErasureServiceDeps) {
    this.#deps = deps;
  }

  /** One request, by its owner or an admin; another key's request is a 404 like an unknown id. */
  async deleteRequest(caller: Caller, requestId: string, actor: Actor): Promise<DeletionReceipt> {
    await this.#deps.history.get(caller, requestId);
    return this.#erase({ requestIds: [requestId] }, { request_id: requestId }, actor);
  }

  /** Everything of a key and/or a time range (admin). */
  deleteData(scope: Omit<ErasureScope, 'requestIds'>, actor: Actor): Promise<DeletionReceipt> {
    return this.#erase(
      scope,
      {
        ...(scope.apiKeyId ? { api_key_id: scope.apiKeyId } : {}),
        ...(scope.from ? { from: scope.from.toISOString() } : {}),
        ...(scope.to ? { to: scope.to.toISOString() } : {}),
      },
      actor,
    );
  }

  async #erase(
    scope: ErasureScope,
    described: DeletionReceipt['scope'],
    actor: Actor,
  ): Promise<DeletionReceipt> {
    const { repository, cache, lifecycle, audit } = this.#deps;
    const erased: Record<string, number> = { request_logs: 0, cache_entries: 0 };
    erased.request_logs = await repository.erase(scope, async (keys) => {
      erased.cache_entries! += await cache.deleteKeys(keys);
    });
    for (const hook of lifecycle.erasureHooks) erased[hook.dataClass] = await hook.erase(scope);
    const receipt: DeletionReceipt = {
      receipt_id: uuidv7(),
      scope: described,
      erased,
      kept,
      completed_at: new Date().toISOString(),
    };
    audit.record({
      eventType: 'data.erased',
      result: 'success',
      actorKeyId: actor.keyId,
      ip: actor.ip,
      requestId: actor.requestId,
      resource: described.request_id ? `request:${described.request_id}` : 'data',
      details: { receipt_id: receipt.receipt_id, scope: described, erased },
    });
    return receipt;
  }
}
