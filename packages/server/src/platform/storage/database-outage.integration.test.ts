import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { PausableProxy } from '../../../test/support/pausable-proxy.ts';
import { StoppableProxy } from '../../../test/support/stoppable-proxy.ts';
import {
  createTestDatabase,
  postgresSkipReason,
  type TestDatabase,
} from '../../../test/support/test-databases.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A migrated PostgreSQL schema reached through a proxy the test can stop like a server going down. */
async function postgresBehindProxy(): Promise<{ fixture: TestDatabase; proxy: StoppableProxy; url: string }> {
  const fixture = await createTestDatabase('postgres');
  cleanups.push(() => fixture.destroy());
  const direct = new URL(fixture.config.url);
  const proxy = await StoppableProxy.start(Number(direct.port || 5432));
  cleanups.push(() => proxy.stop());
  direct.hostname = '127.0.0.1';
  direct.port = String(proxy.port);
  return { fixture, proxy, url: direct.toString() };
}

describe.skipIf(postgresSkipReason !== undefined)(
  `PostgreSQL unavailable${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ''}`,
  () => {
    it('answers 503 database_unavailable with Retry-After, never 500; cached keys keep working', async () => {
      const { fixture, proxy, url } = await postgresBehindProxy();
      const database = fixture.openAnother({ url, connectionTimeoutMs: 1000 });
      const { app, createKey, deps } = await buildTestApp({
        infra: { database },
        env: { KEY_CACHE_TTL_MS: '5000' },
      });
      const admin = await createKey({ name: 'admin', scopes: ['admin'] });
      const user = await createKey({ name: 'cached user' });
      const budgeted = await createKey({ name: 'budgeted', monthly_budget_usd: 5 });
      const cold = await createKey({ name: 'never used before the outage' });
      const analyze = (key: string, prompt: string) =>
        app.inject({
          method: 'POST',
          url: '/v1/analyze',
          headers: { 'x-api-key': key },
          payload: { prompt },
        });
      const listKeys = () =>
        app.inject({ method: 'GET', url: '/v1/api-keys', headers: { 'x-api-key': admin.key } });
      expect((await listKeys()).statusCode).toBe(200);
      // The first analysis loads the pipeline; it runs before the keys under test are cached.
      expect((await analyze(admin.key, 'first analysis of this app')).statusCode).toBe(200);
      // Each key that should keep working is verified (and its budget seeded) while the database is up,
      // just before the outage: the key cache holds a key for KEY_CACHE_TTL_MS.
      for (const key of [user.key, budgeted.key])
        expect((await analyze(key, `warm up ${key.slice(-8)}`)).statusCode).toBe(200);

      await proxy.stop();
      const during = [
        await analyze(user.key, 'What is the capital of Portugal?'),
        await analyze(budgeted.key, 'Name three rivers in Spain.'),
        await analyze(cold.key, 'Is this key known?'),
        await listKeys(),
        await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: { 'x-api-key': user.key } }),
        await app.inject({ method: 'GET', url: '/v1/health/ready' }),
      ];
      expect(during.map((answer) => answer.statusCode)).toEqual([200, 200, 503, 503, 503, 503]);
      for (const refused of during.slice(2, 5)) {
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(refused.json()).toMatchObject({
          code: 'database_unavailable',
          status: 503,
          request_id: refused.headers['x-request-id'],
        });
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(during[5]!.json().code).toBe('service_unavailable');
      // A burst of concurrent traffic of every kind: answered or refused as unavailable, never a 500.
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          [
            () => analyze(user.key, `burst ${index}`),
            () => analyze(cold.key, `burst ${index}`),
            () => listKeys(),
            () => app.inject({ method: 'GET', url: '/v1/health' }),
          ][index % 4]!(),
        ),
      );
      expect(new Set(burst.map((answer) => answer.statusCode))).toEqual(new Set([200, 503]));

      await proxy.resume();
      expect((await analyze(cold.key, 'Is this key known now?')).statusCode).toBe(200);
      // The answers given during the outage were logged once the database came back.
      expect(await deps.services.logWriter.flush()).toBe(true);
      const logged = await fixture.database.db
        .selectFrom('request_logs')
        .select('request_id')
        .where('request_id', 'in', [
          during[0]!.headers['x-request-id'] as string,
          during[1]!.headers['x-request-id'] as string,
        ])
        .execute();
      expect(logged).toHaveLength(2);
    });

    it('answers 503 database_unavailable when the server accepts connections but never answers', async () => {
      const fixture = await createTestDatabase('postgres');
      cleanups.push(() => fixture.destroy());
      const direct = new URL(fixture.config.url);
      const proxy = await PausableProxy.start(Number(direct.port || 5432));
      cleanups.push(() => proxy.close());
      direct.hostname = '127.0.0.1';
      direct.port = new URL(proxy.url).port;
      // A silent server: connections open, nothing comes back, so the pool's connect timeout decides.
      proxy.pause();
      const database = fixture.openAnother({ url: direct.toString(), connectionTimeoutMs: 300 });
      const { app } = await buildTestApp({ infra: { database } });
      const answer = await app.inject({
        method: 'GET',
        url: '/v1/api-keys/me',
        headers: { 'x-api-key': `sp_${'4'.repeat(64)}` },
      });
      expect(answer.statusCode).toBe(503);
      expect(answer.json()).toMatchObject({ code: 'database_unavailable' });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    });
  },
);
