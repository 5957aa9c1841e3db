import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config/index.ts';
import type { BudgetLedger } from './limits/budget-ledger.ts';
import type { RateLimitStore } from './limits/rate-limit-store.ts';
import { ApiKeysRepository } from './modules/api-keys/api-keys.repository.ts';
import { ApiKeysService } from './modules/api-keys/api-keys.service.ts';
import type { KeyInvalidationBus } from './modules/api-keys/key-invalidation-bus.ts';
import { KeyVerifier } from './modules/api-keys/key-verifier.ts';
import { AuditService } from './modules/audit-logs/audit.service.ts';
import { AuditLogsRepository } from './modules/audit-logs/audit-logs.repository.ts';
import { LimitsService } from './modules/limits/limits.service.ts';
import type { Database } from './storage/database.ts';

/** The infrastructure parts: real ones at boot, real or in-memory ones in tests. */
export interface Infrastructure {
  database: Database;
  rateLimits: RateLimitStore;
  budgets: BudgetLedger;
  keyBus: KeyInvalidationBus;
  /** Shared Redis client when `REDIS_URL` is set. */
  redis?: Redis;
}

/** Services with the rules; routes call these and nothing below them. */
export interface Services {
  apiKeysRepository: ApiKeysRepository;
  apiKeys: ApiKeysService;
  audit: AuditService;
  limits: LimitsService;
  verifier: KeyVerifier;
}

export function buildServices(infra: Infrastructure, config: Readonly<Config>, logger: Logger): Services {
  const apiKeysRepository = new ApiKeysRepository(infra.database);
  const audit = new AuditService(new AuditLogsRepository(infra.database), logger);
  const verifier = new KeyVerifier({
    repository: apiKeysRepository,
    bus: infra.keyBus,
    cacheTtlMs: config.auth.keyCacheTtlMs,
  });
  const limits = new LimitsService({
    store: infra.rateLimits,
    ledger: infra.budgets,
    auth: config.auth,
    monthSpendUsd: async (keyId) => (await apiKeysRepository.usage(keyId)).costThisMonthUsd,
  });
  const apiKeys = new ApiKeysService({
    repository: apiKeysRepository,
    audit,
    bus: infra.keyBus,
    defaultRateLimitPerHour: config.auth.defaultRateLimitPerHour,
  });
  return { apiKeysRepository, apiKeys, audit, limits, verifier };
}
