import { expect, it } from 'vitest';
import { buildHistoryApp, twoLevelCache } from '../../../test/support/history-app.ts';
import { redisAvailable, testRedisUrl } from '../../../test/support/redis.ts';
import { describeEachDialect } from '../../../test/support/test-databases.ts';
import type { ErasureScope } from '../../platform/storage/data-lifecycle.ts';

const redisUrl = testRedisUrl();
const haveRedis = await redisAvailable(redisUrl);

describeEachDialect('erasing stored requests', (dialect) => {
  async function setup() {
    const cache = haveRedis ? await twoLevelCache(redisUrl) : undefined;
    const testApp = await buildHistoryApp(
      dialect,
      cache ? { infra: { responseCache: cache.responseCache } } : {},
    );
    // Stands in for a data class of another feature (job results): it must be reached by every deletion.
    const hookCalls: ErasureScope[] = [];
    testApp.deps.services.dataLifecycle.registerErasure({
      dataClass: 'job_results',
      erase: async (scope) => {
        hookCalls.push(scope);
        return 1;
      },
    });
    const alice = await testApp.createKey({ name: 'alice' });
    const bob = await testApp.createKey({ name: 'bob' });
    const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
    return { testApp, cache, hookCalls, alice, bob, admin };
  }

  const del = (testApp: Awaited<ReturnType<typeof setup>>['testApp'], url: string, key: string) =>
    testApp.app.inject({ method: 'DELETE', url, headers: { 'x-api-key': key } });

  it.skipIf(!haveRedis)(
    'erases the prompt and answer from the log and both cache levels; usage totals stay',
    async () => {
      const { testApp, cache, hookCalls, alice, bob } = await setup();
      const prompt = 'Translate Hello World to French';
      const { requestId } = await testApp.analyze(alice.key, { prompt });
      await testApp.analyze(alice.key, { prompt }); // answered from the cache
      await testApp.flush();
      const stored = (await testApp.get(`/v1/requests/${requestId}`, alice.key)).json();
      const cacheKey = (
        await testApp.deps.infra.database.db
          .selectFrom('request_logs')
          .select('cache_key')
          .where('request_id', '=', requestId)
          .executeTakeFirstOrThrow()
      ).cache_key!;
      expect(await cache!.l1.get(cacheKey)).toBeDefined();
      expect(await cache!.l2.get(cacheKey)).toBeDefined();
      const usageBefore = (await testApp.get('/v1/usage', alice.key)).json().totals;

      const foreign = await del(testApp, `/v1/requests/${requestId}`, bob.key);
      expect(foreign.statusCode).toBe(404);
      expect(hookCalls).toEqual([]);

      const response = await del(testApp, `/v1/requests/${requestId}`, alice.key);
      expect(response.statusCode).toBe(200);
      const receipt = response.json();
      expect(receipt).toMatchObject({
        scope: { request_id: requestId },
        erased: { request_logs: 1, cache_entries: 1, job_results: 1 },
      });
      expect(hookCalls).toEqual([{ requestIds: [requestId] }]);

      const after = (await testApp.get(`/v1/requests/${requestId}`, alice.key)).json();
      expect(after).toMatchObject({
        prompt: null,
        answer: null,
        erased: true,
        prompt_tokens: stored.prompt_tokens,
      });
      expect(JSON.stringify(after)).not.toContain('Hello World');
      expect((await testApp.get('/v1/requests?q=translate', alice.key)).json().items).toHaveLength(1);
      expect(await cache!.l1.get(cacheKey)).toBeUndefined();
      expect(await cache!.l2.get(cacheKey)).toBeUndefined();
      expect((await testApp.get('/v1/usage', alice.key)).json().totals).toEqual(usageBefore);

      await testApp.deps.services.audit.drain();
      const audit = await testApp.deps.services.audit.list({ eventType: 'data.erased' });
      expect(audit.items[0]).toMatchObject({
        actorKeyId: alice.id,
        details: { receipt_id: receipt.receipt_id },
      });
    },
  );

  it('erases everything of one key for an admin, and nothing of other keys', async () => {
    const { testApp, hookCalls, alice, bob, admin } = await setup();
    await testApp.analyze(alice.key, { prompt: 'Invoice Jane for March' });
    await testApp.analyze(alice.key, { prompt: 'Invoice John for April' });
    const bobs = await testApp.analyze(bob.key, { prompt: 'Invoice Bob for May' });
    await testApp.flush();
    const refused = await testApp.app.inject({
      method: 'POST',
      url: '/v1/data/deletions',
      headers: { 'x-api-key': alice.key },
      payload: { api_key_id: alice.id },
    });
    expect(refused.statusCode).toBe(403);
    const empty = await testApp.app.inject({
      method: 'POST',
      url: '/v1/data/deletions',
      headers: { 'x-api-key': admin.key },
      payload: {},
    });
    expect(empty.statusCode).toBe(400);

    const response = await testApp.app.inject({
      method: 'POST',
      url: '/v1/data/deletions',
      headers: { 'x-api-key': admin.key },
      payload: { api_key_id: alice.id },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().erased).toMatchObject({ request_logs: 2, job_results: 1 });
    expect(hookCalls).toEqual([{ apiKeyId: alice.id }]);
    const found = (await testApp.get('/v1/requests?q=invoice', admin.key)).json().items;
    expect(found.map((item: { request_id: string }) => item.request_id)).toEqual([bobs.requestId]);
    const aliceItems = (await testApp.get('/v1/requests', alice.key)).json().items;
    expect(
      aliceItems.every(
        (item: { erased: boolean; prompt_preview: null }) => item.erased && item.prompt_preview === null,
      ),
    ).toBe(true);
  });

  it('exports the caller’s own requests as JSON lines', async () => {
    const { testApp, alice, bob, admin } = await setup();
    await testApp.analyze(alice.key, { prompt: 'Invoice Jane for March' });
    await testApp.analyze(alice.key, { prompt: 'Translate Hello World to French' });
    await testApp.analyze(bob.key, { prompt: 'Invoice Bob for May' });
    await testApp.flush();
    const own = await testApp.get('/v1/requests/export', alice.key);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = own.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines.every((line: { api_key_id: string }) => line.api_key_id === alice.id)).toBe(true);
    expect(lines.map((line: { prompt: string }) => line.prompt)).toContain('Invoice Jane for March');

    const filtered = await testApp.get('/v1/requests/export?q=invoice', admin.key);
    expect(filtered.body.trim().split('\n')).toHaveLength(2);
    const peek = await testApp.get(`/v1/requests/export?api_key_id=${bob.id}`, alice.key);
    expect(peek.statusCode).toBe(403);
    expect(peek.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
