import type { GenerateRequest, RoutedGeneration, RouteOptions } from '@structured-prompt/gateway';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { AnswerBookGateway } from '../../../test/support/answer-book-gateway.ts';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { redisAvailable, testRedisClient, uniquePrefix } from '../../../test/support/redis-services.ts';
import { createTestDatabase } from '../../../test/support/test-databases.ts';
import { createRedisInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import { RequestLogsRepository } from '../../platform/request-log/request-logs.repository.ts';
import { ValidatorCache } from '../analyze/validator-cache.ts';

const redisClients = (await redisAvailable()) ? [testRedisClient(), testRedisClient()] : undefined;
afterAll(() => {
  for (const client of redisClients ?? []) client.disconnect();
});

/** An answer book that counts the provider calls and keeps the schema each call was given. */
class CountingGateway extends AnswerBookGateway {
  readonly schemas: unknown[] = [];
  override generate(request: GenerateRequest, options: RouteOptions): Promise<RoutedGeneration> {
    this.schemas.push(request.schema);
    return super.generate(request, options);
  }
}

const v1 = {
  type: 'object',
  required: ['invoice_number'],
  properties: { invoice_number: { type: 'string' }, total: { type: 'number' } },
};
const v2 = {
  ...v1,
  required: ['invoice_number', 'currency'],
  properties: { ...v1.properties, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
};

async function analyzeApp() {
  const gateway = new CountingGateway();
  const testApp = await buildTestApp({ infra: { gateway } });
  const owner = await testApp.createKey({ name: 'owner', rate_limit_per_hour: 100_000 });
  const as = (key: string) => ({
    call: (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      testApp.app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload ? { payload } : {}) }),
  });
  const analyze = (payload: object, key = owner.key) => as(key).call('POST', '/v1/analyze', payload);
  return { ...testApp, gateway, owner, as, analyze };
}

describe('POST /v1/analyze with schema_id', () => {
  it('never answers a new version from the old version cache, while a pinned old version still is', async () => {
    const { gateway, analyze, as, owner } = await analyzeApp();
    const created = await as(owner.key).call('POST', '/v1/schemas', { name: 'invoice', schema: v1 });
    expect(created.statusCode).toBe(201);
    const prompt = 'Invoice INV7 total 12';
    gateway.answer(prompt, JSON.stringify({ invoice_number: 'INV7', total: 12 }));

    const first = await analyze({ prompt, schema_id: 'invoice' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ cached: false, schema_used: { name: 'invoice', version: '1.0.0' } });
    const again = await analyze({ prompt, schema_id: 'invoice' });
    expect(again.json()).toMatchObject({ cached: true, schema_used: { version: '1.0.0' } });
    expect(gateway.schemas).toHaveLength(1);

    const published = await as(owner.key).call('POST', '/v1/schemas/invoice/versions', { schema: v2 });
    expect(published.json()).toMatchObject({ version: '2.0.0', published: true });
    gateway.answer(prompt, JSON.stringify({ invoice_number: 'INV7', total: 12, currency: 'EUR' }));

    const latest = await analyze({ prompt, schema_id: 'invoice' });
    expect(latest.statusCode).toBe(200);
    expect(latest.json()).toMatchObject({ cached: false, schema_used: { version: '2.0.0' } });
    expect(gateway.schemas).toHaveLength(2);
    expect(gateway.schemas[1]).toEqual(v2);
    // The answer satisfies v2, checked here by a validator of our own, not by the service's word.
    expect(new ValidatorCache({ maxEntries: 1 }).get(v2).validate(latest.json().data)).toEqual([]);

    const pinned = await analyze({ prompt, schema_id: `${created.json().id}@1.0.0` });
    expect(pinned.json()).toMatchObject({ cached: true, schema_used: { version: '1.0.0' } });
    expect(pinned.json().data).toEqual(first.json().data);
    expect(gateway.schemas).toHaveLength(2);
  });

  it('keys the cache by the registered schema id: a schema registered again under a freed name starts afresh', async () => {
    const { gateway, analyze, as, owner } = await analyzeApp();
    await as(owner.key).call('POST', '/v1/schemas', { name: 'twin', schema: v1 });
    gateway.answer('Invoice INV5', JSON.stringify({ invoice_number: 'INV5' }));
    expect((await analyze({ prompt: 'Invoice INV5', schema_id: 'twin' })).json().cached).toBe(false);
    expect((await analyze({ prompt: 'Invoice INV5', schema_id: 'twin' })).json().cached).toBe(true);
    await as(owner.key).call('DELETE', '/v1/schemas/twin');
    const { id } = (await as(owner.key).call('POST', '/v1/schemas', { name: 'twin', schema: v1 })).json();
    const fresh = await analyze({ prompt: 'Invoice INV5', schema_id: 'twin' });
    expect(fresh.json()).toMatchObject({
      cached: false,
      schema_used: { id, name: 'twin', version: '1.0.0' },
    });
    expect(gateway.schemas).toHaveLength(2);
  });

  it('answers 404 for an unknown schema or version, and 400 for a schema together with a schema_id', async () => {
    const { analyze, as, owner } = await analyzeApp();
    await as(owner.key).call('POST', '/v1/schemas', { name: 'known', schema: v1 });
    for (const ref of ['unknown', 'known@9.0.0', '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f']) {
      const response = await analyze({ prompt: 'x', schema_id: ref });
      expect(response.statusCode, ref).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
    }
    const both = await analyze({ prompt: 'x', schema_id: 'known', schema: v1 });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors).toEqual([expect.objectContaining({ path: '/schema_id' })]);
  });

  it('lets another key use public and library schemas but not a private one, which looks unknown', async () => {
    const { analyze, as, owner, createKey, gateway } = await analyzeApp();
    const other = await createKey({ name: 'other', rate_limit_per_hour: 100_000 });
    await as(owner.key).call('POST', '/v1/schemas', { name: 'secret', schema: v1 });
    const hidden = await analyze({ prompt: 'x', schema_id: 'secret' }, other.key);
    const unknown = await analyze({ prompt: 'x', schema_id: 'never-registered' }, other.key);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().detail.replace('secret', '')).toBe(
      unknown.json().detail.replace('never-registered', ''),
    );

    await as(owner.key).call('PUT', '/v1/schemas/secret', { visibility: 'public' });
    gateway.answer('Invoice INV8', JSON.stringify({ invoice_number: 'INV8' }));
    const shared = await analyze({ prompt: 'Invoice INV8', schema_id: 'secret' }, other.key);
    expect(shared.statusCode).toBe(200);

    gateway.answer(
      'Translate hello to French',
      JSON.stringify({ source_language: 'en', target_language: 'fr', translation: 'bonjour' }),
    );
    const library = await analyze(
      { prompt: 'Translate hello to French', schema_id: 'translation@1.0.0' },
      other.key,
    );
    expect(library.statusCode).toBe(200);
    expect(library.json().schema_used).toMatchObject({ name: 'translation', version: '1.0.0' });
  });

  it('records the schema id and version in the request log, and the reference of one that did not resolve', async () => {
    const { analyze, as, owner, gateway, deps, infra } = await analyzeApp();
    const { id } = (await as(owner.key).call('POST', '/v1/schemas', { name: 'logged', schema: v1 })).json();
    gateway.answer('Invoice INV9', JSON.stringify({ invoice_number: 'INV9' }));
    const answered = await analyze({ prompt: 'Invoice INV9', schema_id: 'logged' });
    const missing = await analyze({ prompt: 'Invoice INV9', schema_id: 'logged@4.0.0' });
    await deps.services.logWriter.flush();
    const logs = new RequestLogsRepository(infra.database);
    const ok = await logs.getByRequestId(answered.json().request_id);
    expect(ok?.requestParams).toMatchObject({
      schema: 'registry',
      schema_id: id,
      schema_name: 'logged',
      schema_version: '1.0.0',
    });
    const failed = await logs.getByRequestId(missing.json().request_id);
    expect(failed?.requestParams).toMatchObject({ schema: 'registry', schema_ref: 'logged@4.0.0' });
    expect(failed?.validationStatus).toBe('error');
  });
});

describe.skipIf(!redisClients)(
  `schema_id across replicas${redisClients ? '' : ' (skipped: no Redis reachable)'}`,
  () => {
    it('a version published on one replica is the one the other replica answers with next', async () => {
      const database = await createTestDatabase('sqlite');
      onTestFinished(() => database.destroy());
      const channel = uniquePrefix('registry');
      const replica = async (index: number) => {
        const gateway = new CountingGateway();
        const registryBus = createRedisInvalidationBus(redisClients![index]!, { channel });
        onTestFinished(() => registryBus.close());
        await registryBus.ready();
        const testApp = await buildTestApp({ infra: { gateway, database: database.database, registryBus } });
        return { ...testApp, gateway };
      };
      const [one, two] = [await replica(0), await replica(1)];
      const { key } = await one.createKey({ rate_limit_per_hour: 100_000 });
      const call = (app: typeof one, url: string, payload: object) =>
        app.app.inject({ method: 'POST', url, headers: { 'x-api-key': key }, payload });
      await call(one, '/v1/schemas', { name: 'replicated', schema: v1 });
      for (const app of [one, two])
        app.gateway.answer('Invoice INV3', JSON.stringify({ invoice_number: 'INV3', currency: 'EUR' }));

      const before = await call(two, '/v1/analyze', { prompt: 'Invoice INV3', schema_id: 'replicated' });
      expect(before.json().schema_used.version).toBe('1.0.0');
      await call(one, '/v1/schemas/replicated/versions', { schema: v2 });
      await expect
        .poll(
          async () =>
            (await call(two, '/v1/analyze', { prompt: 'Invoice INV3', schema_id: 'replicated' })).json()
              .schema_used.version,
          {
            timeout: 5000,
            interval: 50,
          },
        )
        .toBe('2.0.0');
      expect(two.gateway.schemas.at(-1)).toEqual(v2);
    });
  },
);
