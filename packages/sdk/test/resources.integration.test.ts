import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../server/test/support/webhook-receiver.ts';
import { NotFoundError, PermissionDeniedError, verifyWebhook } from '../src/index.ts';
import { defaultAnswer, type LiveServer, startLiveServer } from './support/live-server.ts';

let live: LiveServer;
beforeAll(async () => {
  live = await startLiveServer();
});
afterAll(() => live?.stop());

const invoiceSchema = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string' } },
};

describe('every area of the API through the SDK', () => {
  it('submits a job, waits for it with progress, pages its results and refuses to cancel it once done', async () => {
    const { client } = live;
    const items = Array.from({ length: 5 }, (_, index) => ({ prompt: `Translate job item ${index}` }));
    const job = await client.jobs.submit({ items });
    const seen: string[] = [];
    const done = await client.jobs.wait(job.id, {
      intervalMs: 20,
      onProgress: (state) => seen.push(state.status),
    });
    expect(done.status).toBe('completed');
    expect(seen.at(-1)).toBe('completed');
    const results = await client.jobs.results(job.id, { limit: 2 }).toArray();
    expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4]);
    const listed = await client.jobs.list({ limit: 1 }).toArray();
    expect(listed.map((entry) => entry.id)).toContain(job.id);
    await expect(client.jobs.cancel(job.id)).rejects.toMatchObject({ status: 409 });
    await expect(client.jobs.get('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('creates, versions and resolves schemas, and analyzes with one by name', async () => {
    const { client } = live;
    const created = await client.schemas.create({ name: 'sdk-invoice', schema: invoiceSchema });
    expect(created.name).toBe('sdk-invoice');
    const widened = {
      ...invoiceSchema,
      properties: { ...invoiceSchema.properties, total: { type: 'number' } },
    };
    const published = await client.schemas.publish('sdk-invoice', { schema: widened });
    expect(published.version).not.toBe('1.0.0');
    const versions = await client.schemas.versions('sdk-invoice').toArray();
    expect(versions.map((version) => version.version)).toContain('1.0.0');
    expect((await client.schemas.version('sdk-invoice', '1.0.0')).schema).toEqual(invoiceSchema);
    const names = [];
    for await (const summary of client.schemas.list({ q: 'sdk-invoice' })) names.push(summary.name);
    expect(names).toEqual(['sdk-invoice']);
    live.answer(JSON.stringify({ number: 'INV-9', total: 3 }));
    const answer = await client.analyze({ prompt: 'Invoice INV-9 of 3 euros', schema_id: 'sdk-invoice' });
    expect(answer.schema_used).toMatchObject({ name: 'sdk-invoice' });
  });

  it('creates templates, makes a new version, renders and lists versions', async () => {
    const { client } = live;
    const template = await client.templates.create({
      name: 'sdk-greeting',
      template: 'Translate {{ text }} to French',
      parameters: [{ name: 'text', required: true }],
    });
    await client.templates.update(template.id, { template: 'Translate {{ text }} to German' });
    const versions = await client.templates.versions(template.id);
    expect(versions.map((version) => version.version)).toEqual(expect.arrayContaining(['1.0.0']));
    expect(versions.length).toBe(2);
    const rendered = await client.templates.render(template.id, { parameters: { text: 'Hello' } });
    expect(rendered.prompt).toBe('Translate Hello to German');
    const first = await client.templates.version(template.id, '1.0.0');
    expect(first.template).toBe('Translate {{ text }} to French');
  });

  it('lists, shows, replays and exports stored requests, and reports usage', async () => {
    const { client } = live;
    live.answer(defaultAnswer);
    const answer = await client.analyze({ prompt: 'Translate the stored request to Italian' });
    // The request log is written in batches after the answer: wait until the request is stored.
    const stored = await eventually(() => client.requests.get(answer.request_id));
    expect(stored.request_id).toBe(answer.request_id);
    const ids = (await client.requests.list({}, { limit: 2 }).toArray()).map((summary) => summary.request_id);
    expect(ids).toContain(answer.request_id);
    const replay = await client.requests.replay(answer.request_id);
    expect(replay).toHaveProperty('diff');
    const exported = [];
    for await (const record of client.requests.export()) exported.push(record.request_id);
    expect(exported).toContain(answer.request_id);
    const usage = await client.usage.get();
    expect(usage.totals.requests).toBeGreaterThan(0);
  });

  it('manages keys as an admin and refuses a user key', async () => {
    const { client, adminClient } = live;
    const created = await adminClient.apiKeys.create({ name: 'to revoke', scopes: ['user'] });
    expect(created.key).toMatch(/^sp_/);
    expect((await adminClient.apiKeys.get(created.id)).name).toBe('to revoke');
    const all = await adminClient.apiKeys.list({ limit: 1 }).toArray();
    expect(all.map((key) => key.id)).toContain(created.id);
    expect((await adminClient.apiKeys.revoke(created.id)).id).toBe(created.id);
    expect((await client.apiKeys.me()).name).toBe('sdk tests');
    await expect(client.apiKeys.list().firstPage()).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('registers a webhook whose test delivery verifies with verifyWebhook', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const { client } = live;
      const webhook = await client.webhooks.create({ url: receiver.url });
      await client.webhooks.test(webhook.id);
      await waitUntil(() => receiver.received.length > 0);
      const delivery = receiver.received[0]!;
      const payload = await verifyWebhook<{ type: string }>(delivery.body, delivery.headers, webhook.secret);
      expect(payload.type).toBeTruthy();
      await expect(
        verifyWebhook(delivery.body, delivery.headers, `whsec_${btoa('x'.repeat(32))}`),
      ).rejects.toThrow(/no webhook signature/);
      const deliveries = await client.webhooks.deliveries(webhook.id).toArray();
      expect(deliveries.length).toBeGreaterThan(0);
      await client.webhooks.delete(webhook.id);
      await expect(client.webhooks.get(webhook.id)).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await receiver.close();
    }
  });

  it('reads cache statistics, invalidates, and reports health', async () => {
    const { client, adminClient } = live;
    expect(await client.cache.stats()).toBeTypeOf('object');
    expect(await adminClient.cache.invalidate({ pattern: '*' })).toBeTypeOf('object');
    expect((await client.health.check()).status).toBeTruthy();
    expect(await client.health.ready()).toMatchObject({ status: expect.any(String) });
    expect((await client.health.providers()).providers.length).toBeGreaterThan(0);
    const models = await client.models();
    expect(models.object).toBe('list');
    expect(models.data.map((model) => model.id)).toContain('auto');
  });
});

async function eventually<T>(call: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof NotFoundError) || tries > 400) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 400 && !condition(); tries++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  if (!condition()) throw new Error('condition never held');
}
