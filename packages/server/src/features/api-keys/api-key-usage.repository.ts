import { sql } from 'kysely';
import type { Database } from '../../platform/storage/database.ts';
import { isUuid, toNumber } from '../../platform/storage/dialect.ts';

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
    const hourStart = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours()),
    );
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
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
}
