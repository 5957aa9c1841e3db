import type { Logger } from 'pino';
import type { Database } from '../../platform/storage/database.ts';
import { toDate } from '../../platform/storage/dialect.ts';
import type { WebhookOutbox } from './webhook-outbox.ts';

const budgetThresholds = [80, 100] as const;
const expiryNoticeMs = 7 * 86_400_000;
const maxRemembered = 10_000;

/**
 * Account events: `budget.threshold` when a key's spend this month reaches 80% and 100% of its
 * budget, and `key.expiring` seven days before a key expires. Each is announced once (per month and
 * threshold, per expiry date), however many replicas see the crossing.
 */
export class AccountEvents {
  readonly #database: Database;
  readonly #outbox: WebhookOutbox;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  /** Notifications this process already knows are recorded: a key over 80% costs no write per request. */
  readonly #recorded = new Set<string>();

  constructor(database: Database, outbox: WebhookOutbox, logger: Logger) {
    this.#database = database;
    this.#outbox = outbox;
    this.#logger = logger;
  }

  /** Called with a key's spend after each settled request; publishes the thresholds it crossed. */
  async budgetSpent(keyId: string, spentUsd: number, budgetUsd: number, now = new Date()): Promise<void> {
    if (!(budgetUsd > 0)) return;
    const period = now.toISOString().slice(0, 7);
    for (const percent of budgetThresholds) {
      if (spentUsd < (budgetUsd * percent) / 100) continue;
      const notification = `budget.threshold:${percent}:${period}`;
      if (this.#recorded.has(`${keyId} ${notification}`)) continue;
      await this.#outbox.publishOnce(
        {
          type: 'budget.threshold',
          apiKeyId: keyId,
          data: {
            api_key_id: keyId,
            threshold_percent: percent,
            spent_usd: spentUsd,
            budget_usd: budgetUsd,
            period,
          },
        },
        notification,
      );
      this.#remember(`${keyId} ${notification}`);
    }
  }

  #remember(entry: string): void {
    if (this.#recorded.size >= maxRemembered) this.#recorded.clear();
    this.#recorded.add(entry);
  }

  /** Publishes `key.expiring` for every live key that expires within seven days. */
  async scanExpiringKeys(now = new Date()): Promise<number> {
    const rows = await this.#database.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'expires_at'])
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .where('expires_at', '<=', new Date(now.getTime() + expiryNoticeMs))
      .execute();
    let published = 0;
    for (const row of rows) {
      const expiresAt = toDate(row.expires_at).toISOString();
      const id = await this.#outbox.publishOnce(
        {
          type: 'key.expiring',
          apiKeyId: row.id,
          data: { api_key_id: row.id, name: row.name, expires_at: expiresAt },
        },
        `key.expiring:${expiresAt}`,
      );
      if (id) published++;
    }
    return published;
  }

  /** Scans for expiring keys now and then every `intervalMs`. */
  startExpiryScan(intervalMs: number): void {
    const scan = () =>
      this.scanExpiringKeys().catch((error: unknown) =>
        this.#logger.warn({ err: error }, 'expiring-key scan failed'),
      );
    void scan();
    this.#timer = setInterval(scan, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
