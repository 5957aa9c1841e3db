import type { ApiKey, CreateApiKeyRequest } from '@structured-prompt/contracts';
import { AppError } from '../../lib/app-error.ts';
import type { KeyInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import type { Page, PageRequest } from '../../platform/storage/pagination.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import { describeKey, generateApiKey, isWellFormedKey } from './api-key-secret.ts';
import type { ApiKeyUsage, ApiKeyUsageRepository } from './api-key-usage.repository.ts';
import type { ApiKeyRecord, ApiKeysRepository } from './api-keys.repository.ts';

/** Who performed an administrative action, for the audit log. */
export interface Actor {
  keyId: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface ApiKeysServiceOptions {
  repository: ApiKeysRepository;
  usage: Pick<ApiKeyUsageRepository, 'forKey'>;
  audit: AuditService;
  bus: KeyInvalidationBus;
  defaultRateLimitPerHour: number;
}

/** Issuing, listing, revoking and rotating keys. Raw keys leave this service once and are never stored. */
export class ApiKeysService {
  readonly #options: ApiKeysServiceOptions;

  constructor(options: ApiKeysServiceOptions) {
    this.#options = options;
  }

  async create(input: CreateApiKeyRequest, actor: Actor): Promise<{ record: ApiKeyRecord; key: string }> {
    const secret = generateApiKey();
    const expiresAt = input.expires_in_days
      ? new Date(Date.now() + input.expires_in_days * 86_400_000)
      : null;
    const record = await this.#options.repository.create({
      keyHash: secret.hash,
      keyPrefix: secret.prefix,
      name: input.name,
      team: input.team ?? null,
      scopes: [...new Set(input.scopes ?? ['user'])],
      rateLimitPerHour: input.rate_limit_per_hour ?? this.#options.defaultRateLimitPerHour,
      tokensPerMinute: input.tokens_per_minute ?? null,
      monthlyBudgetUsd: input.monthly_budget_usd ?? null,
      suspiciousInputPolicy: input.suspicious_input_policy ?? null,
      storePrompts: input.store_prompts ?? null,
      expiresAt,
    });
    this.#audit('key.created', record, actor, { scopes: record.scopes, name: record.name });
    return { record, key: secret.raw };
  }

  list(page: PageRequest): Promise<Page<ApiKeyRecord>> {
    return this.#options.repository.list({}, page);
  }

  async get(id: string): Promise<{ record: ApiKeyRecord; usage: ApiKeyUsage }> {
    const record = await this.#require(id);
    return { record, usage: await this.#options.usage.forKey(id) };
  }

  async revoke(id: string, actor: Actor): Promise<ApiKeyRecord> {
    const before = await this.#require(id);
    const record = (await this.#options.repository.revoke(id)) ?? before;
    await this.#invalidate(before);
    this.#audit('key.revoked', record, actor);
    return record;
  }

  async activate(id: string, actor: Actor): Promise<ApiKeyRecord> {
    await this.#require(id);
    const record = await this.#options.repository.update(id, { isActive: true });
    if (!record) throw notFound();
    await this.#invalidate(record);
    this.#audit('key.activated', record, actor);
    return record;
  }

  /** New secret for the same key id; the old one stops at once or after `graceSeconds`. */
  async rotate(
    id: string,
    graceSeconds: number,
    actor: Actor,
  ): Promise<{ record: ApiKeyRecord; key: string }> {
    const before = await this.#require(id);
    if (!before.isActive)
      throw new AppError('conflict', 'A revoked key cannot be rotated; activate it first.');
    const secret = generateApiKey();
    const previousValidUntil = graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null;
    const record = await this.#options.repository.rotate(id, {
      keyHash: secret.hash,
      keyPrefix: secret.prefix,
      previousKeyValidUntil: previousValidUntil,
    });
    if (!record) throw notFound();
    await this.#invalidate(before);
    this.#audit('key.rotated', record, actor, { grace_period_seconds: graceSeconds });
    return { record, key: secret.raw };
  }

  /**
   * First start: with no keys at all, create an admin key (from `SPS_ADMIN_KEY`, or random) and hand
   * it back so the process can print it once. Later starts create nothing.
   */
  async bootstrapAdmin(
    configuredKey: string | undefined,
  ): Promise<{ created: false } | { created: true; key: string; fromConfig: boolean }> {
    if ((await this.#options.repository.count()) > 0) return { created: false };
    const secret =
      configuredKey && isWellFormedKey(configuredKey) ? describeKey(configuredKey) : generateApiKey();
    try {
      const record = await this.#options.repository.create({
        keyHash: secret.hash,
        keyPrefix: secret.prefix,
        name: 'bootstrap-admin',
        scopes: ['admin'],
        rateLimitPerHour: this.#options.defaultRateLimitPerHour,
      });
      this.#audit('key.created', record, { keyId: null, ip: null, requestId: null }, { bootstrap: true });
    } catch (error) {
      // Another replica booting at the same moment created the same configured key first.
      if (error instanceof AppError && error.code === 'conflict') return { created: false };
      throw error;
    }
    return { created: true, key: secret.raw, fromConfig: secret.raw === configuredKey };
  }

  async #require(id: string): Promise<ApiKeyRecord> {
    const record = await this.#options.repository.getById(id);
    if (!record) throw notFound();
    return record;
  }

  async #invalidate(record: ApiKeyRecord): Promise<void> {
    await this.#options.bus.publish(record.keyHash);
    if (record.previousKeyHash) await this.#options.bus.publish(record.previousKeyHash);
  }

  #audit(eventType: string, record: ApiKeyRecord, actor: Actor, details: Record<string, unknown> = {}): void {
    this.#options.audit.record({
      eventType,
      result: 'success',
      actorKeyId: actor.keyId,
      ip: actor.ip,
      requestId: actor.requestId,
      resource: `api_key:${record.id}`,
      details,
    });
  }
}

const notFound = () => new AppError('not_found', 'No API key with that id.');

/** The public shape of a key: metadata only, never the hash. */
export function toApiKeyResponse(record: ApiKeyRecord, usage?: ApiKeyUsage): ApiKey {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    id: record.id,
    key_prefix: record.keyPrefix,
    name: record.name,
    team: record.team,
    scopes: record.scopes as ApiKey['scopes'],
    rate_limit_per_hour: record.rateLimitPerHour,
    tokens_per_minute: record.tokensPerMinute,
    monthly_budget_usd: record.monthlyBudgetUsd,
    suspicious_input_policy: record.suspiciousInputPolicy as ApiKey['suspicious_input_policy'],
    store_prompts: record.storePrompts,
    is_active: record.isActive && record.revokedAt === null,
    created_at: record.createdAt.toISOString(),
    expires_at: iso(record.expiresAt),
    last_used_at: iso(record.lastUsedAt),
    revoked_at: iso(record.revokedAt),
    ...(usage
      ? {
          usage: {
            requests_this_hour: usage.requestsThisHour,
            cost_this_hour_usd: usage.costThisHourUsd,
            requests_this_month: usage.requestsThisMonth,
            cost_this_month_usd: usage.costThisMonthUsd,
            tokens_this_month: usage.tokensThisMonth,
          },
        }
      : {}),
  };
}
