import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from '../../../test/support/test-databases.ts';
import { type DialectName, toDate, toNumber } from '../storage/dialect.ts';
import type { RequestLogSink } from './request-log-writer.ts';
import type { NewRequestLog } from './request-logs.repository.ts';
import { RequestLogsRepository } from './request-logs.repository.ts';
import { SqliteLogThread } from './sqlite-log-thread.ts';

/**
 * The rollups against a recount of the raw logs: random batches (with a re-sent batch, as the writer
 * does after an ambiguous failure) through every write path, then per hour, key, provider and model
 * the rollup sums must equal what the stored rows add up to.
 */
const keys = ['0190a000-0000-7000-8000-00000000000a', '0190a000-0000-7000-8000-00000000000b', undefined];
const statuses = ['passed', 'passed_relaxed', 'failed', 'error'] as const;

const entryArbitrary = fc.record({
  key: fc.constantFrom(...keys),
  provider: fc.constantFrom('openai', 'anthropic', undefined),
  model: fc.constantFrom('m1', 'm2'),
  status: fc.constantFrom(...statuses),
  cached: fc.boolean(),
  hour: fc.integer({ min: 0, max: 3 }),
  minute: fc.integer({ min: 0, max: 59 }),
  latency: fc.integer({ min: 0, max: 90_000 }),
  promptTokens: fc.integer({ min: 0, max: 5000 }),
  completionTokens: fc.integer({ min: 0, max: 5000 }),
  costMicros: fc.integer({ min: 0, max: 50_000 }),
  attempts: fc.integer({ min: 0, max: 3 }),
});

function toEntries(
  samples: Array<typeof entryArbitrary extends fc.Arbitrary<infer T> ? T : never>,
): NewRequestLog[] {
  return samples.map((sample, index) => ({
    requestId: `req-${index}`,
    apiKeyId: sample.key,
    providerUsed: sample.provider,
    model: sample.model,
    validationStatus: sample.status,
    cached: sample.cached,
    processingTimeMs: sample.latency,
    promptTokens: sample.promptTokens,
    completionTokens: sample.completionTokens,
    costUsd: sample.costMicros / 1e6,
    savedTokens: sample.cached ? sample.promptTokens : 0,
    savedCostUsd: sample.cached ? sample.costMicros / 1e6 : 0,
    attemptCount: sample.attempts,
    createdAt: new Date(Date.UTC(2026, 3, 1, sample.hour, sample.minute)),
  }));
}

interface Tally {
  requests: number;
  tokens: number;
  cost: number;
  cacheHits: number;
  errors: number;
  failures: number;
  latency: number;
}

const groupOf = (hour: Date, key: string | null, provider: string | null, model: string | null) =>
  `${hour.toISOString()}|${key ?? ''}|${provider ?? ''}|${model ?? ''}`;

/** The raw logs, recounted in plain code straight from the stored rows. */
async function recount(fixture: TestDatabase): Promise<Map<string, Tally>> {
  const rows = await fixture.database.db.selectFrom('request_logs').selectAll().execute();
  const tallies = new Map<string, Tally>();
  for (const row of rows) {
    const at = toDate(row.created_at);
    const hour = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), at.getUTCHours()));
    const group = groupOf(hour, row.api_key_id, row.provider_used, row.model);
    const tally = tallies.get(group) ?? {
      requests: 0,
      tokens: 0,
      cost: 0,
      cacheHits: 0,
      errors: 0,
      failures: 0,
      latency: 0,
    };
    tally.requests += 1;
    tally.tokens += toNumber(row.prompt_tokens) + toNumber(row.completion_tokens);
    tally.cost += toNumber(row.cost_usd);
    tally.cacheHits += row.cached === true || row.cached === 1 ? 1 : 0;
    tally.errors += row.validation_status === 'error' ? 1 : 0;
    tally.failures += row.validation_status === 'failed' ? 1 : 0;
    tally.latency += toNumber(row.processing_time_ms);
    tallies.set(group, tally);
  }
  return tallies;
}

async function rollups(fixture: TestDatabase): Promise<Map<string, Tally & { histogram: number }>> {
  const rows = await fixture.database.db.selectFrom('usage_rollups').selectAll().execute();
  const result = new Map<string, Tally & { histogram: number }>();
  for (const row of rows) {
    const group = groupOf(
      toDate(row.bucket_start),
      row.api_key_id || null,
      row.provider || null,
      row.model || null,
    );
    const histogram = Object.entries(row)
      .filter(([column]) => column.startsWith('latency_le_'))
      .reduce((sum, [, value]) => sum + toNumber(value), 0);
    result.set(group, {
      requests: toNumber(row.requests),
      tokens: toNumber(row.prompt_tokens) + toNumber(row.completion_tokens),
      cost: toNumber(row.cost_usd),
      cacheHits: toNumber(row.cache_hits),
      errors: toNumber(row.errors),
      failures: toNumber(row.validation_failures),
      latency: toNumber(row.latency_ms_sum),
      histogram,
    });
  }
  return result;
}

type SinkKind = 'repository' | 'thread';

describeEachDialect('usage rollups', (dialect: DialectName) => {
  const kinds: SinkKind[] = dialect === 'sqlite' ? ['repository', 'thread'] : ['repository'];
  describe.each(kinds)('written by the %s', (kind) => {
    let fixture: TestDatabase | undefined;
    let sink: RequestLogSink;
    beforeAll(async () => {
      fixture = await createTestDatabase(dialect);
      sink =
        kind === 'thread'
          ? new SqliteLogThread({ file: fixture.database.file!, busyTimeoutMs: 5000 })
          : new RequestLogsRepository(fixture.database);
    });
    afterAll(async () => {
      await sink?.close?.();
      await fixture?.destroy();
    });
    beforeEach(async () => {
      await fixture!.truncate();
    });

    it('equal a recount of the raw logs, a re-sent batch counted once', async () => {
      const samples = fc.sample(fc.array(entryArbitrary, { minLength: 60, maxLength: 120 }), {
        numRuns: 1,
        seed: 7,
      })[0]!;
      const entries = toEntries(samples);
      const third = Math.ceil(entries.length / 3);
      await sink.insertMany(entries.slice(0, third));
      await sink.insertMany(entries.slice(third, 2 * third));
      // The second batch again (the writer retries after a timeout that came after the commit).
      expect(await sink.insertMany(entries.slice(third, 2 * third))).toBe(0);
      await sink.insertMany(entries.slice(2 * third));

      const expected = await recount(fixture!);
      const actual = await rollups(fixture!);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [group, tally] of expected) {
        const rollup = actual.get(group)!;
        expect({ ...rollup, cost: 0, histogram: 0 }, group).toEqual({ ...tally, cost: 0, histogram: 0 });
        expect(rollup.cost, group).toBeCloseTo(tally.cost, 6);
        expect(rollup.histogram, group).toBe(tally.requests);
      }
      const total = [...expected.values()].reduce((sum, tally) => sum + tally.requests, 0);
      expect(total).toBe(entries.length);
    });
  });

  // Replicas share PostgreSQL; SQLite is embedded in one process, and two synchronous connections on one
  // thread would only wait on each other's write lock.
  const replicaTitle =
    dialect === 'sqlite'
      ? 'written by two replicas at once (skipped: SQLite serves one process)'
      : 'written by two replicas at once';
  describe.skipIf(dialect === 'sqlite')(replicaTitle, () => {
    let fixture: TestDatabase | undefined;
    beforeAll(async () => {
      fixture = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await fixture?.destroy();
    });

    it('sum both replicas’ rows into the same hours, matching the recount', async () => {
      const samples = fc.sample(fc.array(entryArbitrary, { minLength: 80, maxLength: 80 }), {
        numRuns: 1,
        seed: 11,
      })[0]!;
      const entries = toEntries(samples);
      const replicas = [
        new RequestLogsRepository(fixture!.database),
        new RequestLogsRepository(fixture!.openAnother()),
      ];
      // Interleaved small batches from both connections, all landing in the same four hours.
      await Promise.all(
        replicas.map(async (replica, index) => {
          const own = entries.filter((_, position) => position % 2 === index);
          for (let start = 0; start < own.length; start += 5)
            await replica.insertMany(own.slice(start, start + 5));
        }),
      );
      const expected = await recount(fixture!);
      const actual = await rollups(fixture!);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [group, tally] of expected) {
        expect(actual.get(group)!.requests, group).toBe(tally.requests);
        expect(actual.get(group)!.tokens, group).toBe(tally.tokens);
      }
    });
  });
});
