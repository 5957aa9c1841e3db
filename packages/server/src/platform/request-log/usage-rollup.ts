import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DatabaseSchema, RequestLogsTable } from '../storage/database-schema.ts';
import { encodeSqliteParameter } from '../storage/dialect.ts';
import type { SqliteValue } from './request-log-row.ts';

/** Upper bounds (ms) of the latency histogram; a last bucket holds everything slower. */
export const latencyBoundsMs = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000] as const;
export const latencyColumns = [
  ...latencyBoundsMs.map((bound) => `latency_le_${bound}`),
  'latency_le_inf',
] as readonly LatencyColumn[];
type LatencyColumn = `latency_le_${(typeof latencyBoundsMs)[number] | 'inf'}`;

const dimensionColumns = [
  'bucket_start',
  'api_key_id',
  'provider',
  'model',
  'schema_key',
  'template_key',
] as const;
export const counterColumns = [
  'requests',
  'prompt_tokens',
  'completion_tokens',
  'cost_usd',
  'cache_hits',
  'saved_tokens',
  'saved_cost_usd',
  'errors',
  'validation_failures',
  'first_attempt_passes',
  'latency_ms_sum',
  ...latencyColumns,
] as const;
export type CounterColumn = (typeof counterColumns)[number];

/** One hour of one key × provider × model × schema × template, as an additive delta. */
export type RollupDelta = { bucket_start: Date } & Record<
  Exclude<(typeof dimensionColumns)[number], 'bucket_start'>,
  string
> &
  Record<CounterColumn, number>;

const hourMs = 3_600_000;

function hourOf(value: unknown): Date {
  const time = value instanceof Date ? value.getTime() : new Date(String(value)).getTime();
  return new Date(Math.floor(time / hourMs) * hourMs);
}

function latencyColumnOf(ms: number): LatencyColumn {
  const index = latencyBoundsMs.findIndex((bound) => ms <= bound);
  return latencyColumns[index < 0 ? latencyColumns.length - 1 : index]!;
}

function emptyDelta(row: Insertable<RequestLogsTable>): RollupDelta {
  const delta = {
    bucket_start: hourOf(row.created_at),
    api_key_id: row.api_key_id ?? '',
    provider: row.provider_used ?? '',
    model: row.model ?? '',
    schema_key: row.schema_ref ?? row.schema_hash ?? '',
    template_key: row.template_ref ?? '',
  } as RollupDelta;
  for (const column of counterColumns) delta[column] = 0;
  return delta;
}

function add(delta: RollupDelta, row: Insertable<RequestLogsTable>): void {
  const status = row.validation_status;
  const latency = Number(row.processing_time_ms ?? 0);
  delta.requests += 1;
  delta.prompt_tokens += Number(row.prompt_tokens ?? 0);
  delta.completion_tokens += Number(row.completion_tokens ?? 0);
  delta.cost_usd += Number(row.cost_usd ?? 0);
  if (row.cached) delta.cache_hits += 1;
  delta.saved_tokens += Number(row.saved_tokens ?? 0);
  delta.saved_cost_usd += Number(row.saved_cost_usd ?? 0);
  if (status === 'error') delta.errors += 1;
  if (status === 'failed') delta.validation_failures += 1;
  if (status !== 'error' && status !== 'failed' && !row.cached && Number(row.attempt_count ?? 0) === 1) {
    delta.first_attempt_passes += 1;
  }
  delta.latency_ms_sum += latency;
  delta[latencyColumnOf(latency)] += 1;
}

/** Folds the rows of one written batch into one delta per hour and dimension set (ADR 0060). */
export function rollupDeltas(rows: readonly Insertable<RequestLogsTable>[]): RollupDelta[] {
  const deltas = new Map<string, RollupDelta>();
  for (const row of rows) {
    const fresh = emptyDelta(row);
    const key = JSON.stringify(dimensionColumns.map((column) => fresh[column]));
    const delta = deltas.get(key) ?? fresh;
    deltas.set(key, delta);
    add(delta, row);
  }
  return [...deltas.values()];
}

/** Adds the deltas inside the caller's transaction (the Kysely write path). */
export async function upsertRollups(
  db: Kysely<DatabaseSchema>,
  deltas: readonly RollupDelta[],
): Promise<void> {
  for (const delta of deltas) {
    await db
      .insertInto('usage_rollups')
      .values(delta)
      .onConflict((conflict) =>
        conflict
          .columns([...dimensionColumns])
          .doUpdateSet(
            Object.fromEntries(
              counterColumns.map((column) => [
                column,
                sql`${sql.ref(`usage_rollups.${column}`)} + ${sql.ref(`excluded.${column}`)}`,
              ]),
            ),
          ),
      )
      .execute();
  }
}

const allColumns = [...dimensionColumns, ...counterColumns];

/** The same upsert as one prepared statement for the SQLite log thread. */
export const sqliteRollupUpsert =
  `INSERT INTO usage_rollups (${allColumns.join(', ')}) VALUES (${allColumns.map(() => '?').join(', ')}) ` +
  `ON CONFLICT (${dimensionColumns.join(', ')}) DO UPDATE SET ` +
  counterColumns.map((column) => `${column} = ${column} + excluded.${column}`).join(', ');

export function sqliteRollupValues(delta: RollupDelta): SqliteValue[] {
  return allColumns.map((column) => encodeSqliteParameter(delta[column]) as SqliteValue);
}
