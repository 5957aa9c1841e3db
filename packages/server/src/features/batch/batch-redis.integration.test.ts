import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { RedisTestServer } from '../../../test/support/redis.ts';

/** Calls of one Redis command so far, from `INFO commandstats` of this test's own server. */
async function commandCalls(client: Redis, command: string): Promise<number> {
  const stats = await client.info('commandstats');
  return Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
}

/**
 * Two replicas share a Redis server of this test's own (so its command counts are this test's
 * alone): what one replica computed, the other's batch finds in L2.
 */
describe('POST /v1/analyze/batch with the Redis cache level', () => {
  const servers: RedisTestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('finds in L2 what another replica computed: one GET per distinct key, none for what L1 holds', async () => {
    const redis = await RedisTestServer.start();
    servers.push(redis);
    const env = { REDIS_URL: redis.url };
    const [first, second] = [await buildTestApp({ env }), await buildTestApp({ env })];
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      for (const replica of [first, second]) expect(await replica.infra.responseCache.ready(5000)).toBe(true);
      const firstKey = (await first.createKey({ rate_limit_per_hour: 1000 })).key;
      for (const prompt of ['Translate Hello World to French', 'Summarize the Q3 report as a list']) {
        const answer = await first.app.inject({
          method: 'POST',
          url: '/v1/analyze',
          headers: { 'x-api-key': firstKey },
          payload: { prompt },
        });
        expect(answer.statusCode).toBe(200);
      }
      await first.deps.services.cache.drain();

      const secondKey = (await second.createKey({ rate_limit_per_hour: 1000 })).key;
      const batch = (prompts: string[], schema?: unknown) =>
        second.app.inject({
          method: 'POST',
          url: '/v1/analyze/batch',
          headers: { 'x-api-key': secondKey },
          payload: { items: prompts.map((prompt) => ({ prompt, schema })) },
        });
      // What a request reads from Redis besides the cache (authentication peeks at the lockout
      // counter): a batch whose only item is refused before the cache lookup.
      const beforeRefused = await commandCalls(client, 'get');
      expect((await batch(['Refused item'], { type: 'nonsense' })).json().summary.failed).toBe(1);
      const outsideCache = (await commandCalls(client, 'get')) - beforeRefused;

      const getsBefore = await commandCalls(client, 'get');
      const prompts = [
        'Translate Hello World to French',
        'Summarize the Q3 report as a list',
        'Book a table for four tomorrow',
        'Translate Hello World to French',
      ];
      const body = (await batch(prompts)).json();
      expect(await commandCalls(client, 'get')).toBe(getsBefore + outsideCache + 3);
      expect(body.results.map((result: { cached: boolean }) => result.cached)).toEqual([
        true,
        true,
        false,
        true,
      ]);
      expect(body.summary).toMatchObject({ cached: 2, deduplicated: 1, provider_calls: 1, succeeded: 4 });

      // Back-filled into this replica's L1: the same batch again reads nothing from Redis.
      await second.deps.services.cache.drain();
      const beforeAgain = await commandCalls(client, 'get');
      const again = (await batch(prompts)).json();
      expect(again.summary).toMatchObject({ cached: 3, provider_calls: 0 });
      expect(await commandCalls(client, 'get')).toBe(beforeAgain + outsideCache);
    } finally {
      client.disconnect();
    }
  });
});
