import { sql } from 'kysely';
import type { Database } from '../../platform/storage/database.ts';
import { isUuid, toDateOrNull, toNumber } from '../../platform/storage/dialect.ts';

/** Requests and spend of one key in the current UTC hour and UTC calendar month. */
export interface ApiKeyUsage {
  requestsThisHour: number;
  costThisHourUsd: number;
  requestsThisMonth: number;
  costThisMonthUsd: number;
  tokensThisMonth: number;
}

const noUsage: Readonly<ApiKeyUsage> = {
  requestsThisHour: 0,
  costThisHourUsd: 0,
  requestsThisMonth: 0,
  costThisMonthUsd: 0,
  tokensThisMonth: 0,
};

/** What keys have used and spent, read from request_logs; the keys themselves live in ApiKeysRepository. */
export class ApiKeyUsageRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Sums over request_logs (index api_key_id + created_at): one range scan from the month start. */
  async forKey(id: string, now: Date = new Date()): Promise<ApiKeyUsage> {
    if (!isUuid(id)) return { ...noUsage };
    // A usage reset restarts both periods (POST /v1/api-keys/{id}/usage/reset).
    const resetAt = await this.#resetAt(id);
    const later = (start: Date) => (resetAt && resetAt > start ? resetAt : start);
    const hourStart = later(
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours())),
    );
    const monthStart = later(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
    const row = await this.#database.db
      .selectFrom('request_logs')
      .select([
        sql<number>`count(*)`.as('requests_month'),
        sql<number>`coalesce(sum(cost_usd), 0)`.as('cost_month'),
        sql<number>`coalesce(sum(tokens_used), 0)`.as('tokens_month'),
        sql<number>`coalesce(sum(case when created_at >= ${hourStart} then 1 else 0 end), 0)`.as(
          'requests_hour',
        ),
        sql<number>`coalesce(sum(case when created_at >= ${hourStart} then cost_usd else 0 end), 0)`.as(
          'cost_hour',
        ),
      ])
      .where('api_key_id', '=', id)
      .where('created_at', '>=', monthStart)
      .executeTakeFirstOrThrow();
    return {
      requestsThisHour: toNumber(row.requests_hour),
      costThisHourUsd: toNumber(row.cost_hour),
      requestsThisMonth: toNumber(row.requests_month),
      costThisMonthUsd: toNumber(row.cost_month),
      tokensThisMonth: toNumber(row.tokens_month),
    };
  }

  /** Restarts the key's counted usage at `at`. */
  async markReset(id: string, at: Date): Promise<void> {
    await this.#database.db
      .updateTable('api_keys')
      .set({ usage_reset_at: at })
      .where('id', '=', id)
      .execute();
  }

  async #resetAt(id: string): Promise<Date | null> {
    const row = await this.#database.db
      .selectFrom('api_keys')
      .select('usage_reset_at')
      .where('id', '=', id)
      .executeTakeFirst();
    return toDateOrNull(row?.usage_reset_at);
  }
}
