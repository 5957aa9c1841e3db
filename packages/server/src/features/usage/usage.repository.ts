import type { UsageGroupBy } from '@structured-prompt/contracts';
import { sql } from 'kysely';
import { type CounterColumn, counterColumns } from '../../platform/request-log/usage-rollup.ts';
import type { Database } from '../../platform/storage/database.ts';
import { toDate, toNumber } from '../../platform/storage/dialect.ts';

export interface UsageRange {
  from: Date;
  to: Date;
  apiKeyId?: string;
}

export type Counters = Record<CounterColumn, number>;

export interface RollupSums {
  /** Null when the sums are not per hour. */
  hour: Date | null;
  /** The values of the grouped dimensions, in the order asked for ('' stored as null). */
  groups: Array<string | null>;
  counters: Counters;
}

const dimensionColumn = {
  key: 'api_key_id',
  provider: 'provider',
  model: 'model',
  schema: 'schema_key',
  template: 'template_key',
} as const satisfies Record<UsageGroupBy, string>;

/** Sums of the hourly rollups (ADR 0060): never a scan of the request logs. */
export class UsageRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async sums(range: UsageRange, groupBy: readonly UsageGroupBy[], perHour: boolean): Promise<RollupSums[]> {
    const dimensions = groupBy.map((group) => dimensionColumn[group]);
    const keys = [...(perHour ? ['bucket_start'] : []), ...dimensions];
    let query = this.#database.db
      .selectFrom('usage_rollups')
      .select(keys.map((column) => sql.ref(column).as(column)))
      .select(counterColumns.map((column) => sql<number>`sum(${sql.ref(column)})`.as(column)))
      .where('bucket_start', '>=', range.from)
      .where('bucket_start', '<', range.to);
    if (range.apiKeyId !== undefined) query = query.where('api_key_id', '=', range.apiKeyId);
    if (keys.length > 0) query = query.groupBy(keys.map((column) => sql.ref(column)));
    if (perHour) query = query.orderBy(sql.ref('bucket_start'));
    const rows = (await query.execute()) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      hour: perHour ? toDate(row.bucket_start) : null,
      groups: dimensions.map((column) => (row[column] === '' ? null : String(row[column] ?? ''))),
      counters: Object.fromEntries(
        counterColumns.map((column) => [column, toNumber(row[column])]),
      ) as Counters,
    }));
  }
}
