import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/build-app.ts';
import { WebhookReceiver } from '../../../test/support/webhook-receiver.ts';

const fastRetries = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
  WEBHOOK_RETRY_SCHEDULE: '0,0,0,0,0',
  WEBHOOK_POLL_INTERVAL_MS: '20',
};

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(statuses: number[] = [200], headers?: Record<string, string>) {
  const started = await WebhookReceiver.start({ statuses, headers });
  receivers.push(started);
  return started;
}

async function subscribe(test: TestApp, key: string, url: string, eventTypes?: string[]) {
  const response = await test.app.inject({
    method: 'POST',
    url: '/v1/webhooks',
    headers: { 'x-api-key': key },
    payload: { url, ...(eventTypes && { event_types: eventTypes }) },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; secret: string };
}

async function waitForDelivery(test: TestApp, key: string, id: string, status: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = (
      await test.app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: { 'x-api-key': key } })
    ).json();
    if (list.items.some((item: { status: string }) => item.status === status)) return list.items;
    if (Date.now() > deadline) throw new Error(`no ${status} delivery: ${JSON.stringify(list.items)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('webhook endpoints', () => {
  it('sign a test event that the standardwebhooks library verifies, and never show the secret again', async () => {
    const test = await buildTestApp({ env: fastRetries });
    const { key } = await test.createKey();
    const hook = await receiver();
    const created = await subscribe(test, key, hook.url);
    expect(created.secret).toMatch(/^whsec_/);
    const fetched = await test.app.inject({
      url: `/v1/webhooks/${created.id}`,
      headers: { 'x-api-key': key },
    });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.body).not.toContain(created.secret);

    const sent = await test.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${created.id}/test`,
      headers: { 'x-api-key': key },
    });
    expect(sent.statusCode).toBe(202);
    const [delivery] = await hook.waitFor(1);
    const payload = new Webhook(created.secret).verify(
      delivery!.body,
      delivery!.headers as Record<string, string>,
    );
    expect(payload).toMatchObject({ type: 'webhook.test', data: { webhook_id: created.id } });
    expect(delivery!.headers['webhook-id']).toBe(sent.json().message_id);
    const log = await waitForDelivery(test, key, created.id, 'succeeded');
    expect(log[0]).toMatchObject({ attempts: 1, response_status: 200, response_body: 'answer 200' });
  });

  it('retry a failing receiver until it answers, then deliver exactly once more', async () => {
    const test = await buildTestApp({ env: fastRetries });
    const { key } = await test.createKey();
    const hook = await receiver([500, 503, 502, 200]);
    const created = await subscribe(test, key, hook.url);
    await test.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${created.id}/test`,
      headers: { 'x-api-key': key },
    });
    const [item] = await waitForDelivery(test, key, created.id, 'succeeded');
    expect(item).toMatchObject({ attempts: 4, response_status: 200 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hook.received).toHaveLength(4);
    expect(new Set(hook.received.map((request) => request.headers['webhook-id'])).size).toBe(1);
  });

  it('give up after the retry schedule, and redeliver on request', async () => {
    const test = await buildTestApp({ env: { ...fastRetries, WEBHOOK_RETRY_SCHEDULE: '0,0' } });
    const { key } = await test.createKey();
    const hook = await receiver([500, 500, 500, 204]);
    const created = await subscribe(test, key, hook.url);
    await test.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${created.id}/test`,
      headers: { 'x-api-key': key },
    });
    const [failed] = await waitForDelivery(test, key, created.id, 'failed');
    expect(failed).toMatchObject({ attempts: 3, response_status: 500, next_attempt_at: null });
    const again = await test.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${created.id}/deliveries/${failed.id}/redeliver`,
      headers: { 'x-api-key': key },
    });
    expect(again.statusCode).toBe(202);
    await waitForDelivery(test, key, created.id, 'succeeded');
    expect(hook.received.at(-1)!.headers['webhook-id']).toBe(hook.received[0]!.headers['webhook-id']);
  });

  it('disable an endpoint that answers 410 Gone, with an audit event', async () => {
    const test = await buildTestApp({ env: fastRetries });
    const { key } = await test.createKey();
    const hook = await receiver([410]);
    const created = await subscribe(test, key, hook.url);
    await test.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${created.id}/test`,
      headers: { 'x-api-key': key },
    });
    await waitForDelivery(test, key, created.id, 'failed');
    const endpoint = (
      await test.app.inject({ url: `/v1/webhooks/${created.id}`, headers: { 'x-api-key': key } })
    ).json();
    expect(endpoint).toMatchObject({ enabled: false, disabled_reason: expect.stringContaining('410') });
    await test.deps.services.audit.drain();
    const audit = await test.deps.services.audit.list({ eventType: 'webhook.disabled' });
    expect(audit.items.map((entry) => entry.resource)).toEqual([`webhook:${created.id}`]);
  });

  it('sign with both secrets while a rotation overlaps', async () => {
    const test = await buildTestApp({ env: fastRetries });
    const { key } = await test.createKey();
    const hook = await receiver();
    const created = await subscribe(test, key, hook.url);
    const rotated = await test.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${created.id}/rotate-secret`,
      headers: { 'x-api-key': key },
      payload: { overlap_seconds: 3600 },
    });
    expect(rotated.statusCode).toBe(200);
    const { secret } = rotated.json();
    expect(secret).not.toBe(created.secret);
    await test.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${created.id}/test`,
      headers: { 'x-api-key': key },
    });
    const [delivery] = await hook.waitFor(1);
    const headers = delivery!.headers as Record<string, string>;
    expect(new Webhook(secret).verify(delivery!.body, headers)).toMatchObject({ type: 'webhook.test' });
    expect(new Webhook(created.secret).verify(delivery!.body, headers)).toMatchObject({
      type: 'webhook.test',
    });
  });

  it('keep each key to its own endpoints; admins see all', async () => {
    const test = await buildTestApp({ env: fastRetries });
    const owner = await test.createKey();
    const other = await test.createKey();
    const admin = await test.createKey({ scopes: ['admin'] });
    const hook = await receiver();
    const created = await subscribe(test, owner.key, hook.url);
    for (const [method, url] of [
      ['GET', `/v1/webhooks/${created.id}`],
      ['PUT', `/v1/webhooks/${created.id}`],
      ['DELETE', `/v1/webhooks/${created.id}`],
      ['POST', `/v1/webhooks/${created.id}/test`],
      ['POST', `/v1/webhooks/${created.id}/rotate-secret`],
      ['GET', `/v1/webhooks/${created.id}/deliveries`],
    ] as const) {
      const response = await test.app.inject({
        method,
        url,
        headers: { 'x-api-key': other.key },
        ...(method === 'PUT' ? { payload: { enabled: false } } : method === 'POST' ? { payload: {} } : {}),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const list = (await test.app.inject({ url: '/v1/webhooks', headers: { 'x-api-key': other.key } })).json();
    expect(list.items).toEqual([]);
    const all = (await test.app.inject({ url: '/v1/webhooks', headers: { 'x-api-key': admin.key } })).json();
    expect(all.items.map((item: { id: string }) => item.id)).toEqual([created.id]);
  });

  it('send budget-threshold events once per threshold and month, to subscribers of that event', async () => {
    const test = await buildTestApp({ env: fastRetries });
    const { key, id } = await test.createKey();
    const hook = await receiver();
    await subscribe(test, key, hook.url, ['budget.threshold']);
    const events = test.deps.services.webhooks.accountEvents;
    const at = new Date('2026-12-10T12:00:00Z');
    await events.budgetSpent(id, 0.5, 1, at);
    await events.budgetSpent(id, 0.85, 1, at);
    await events.budgetSpent(id, 0.9, 1, at);
    await events.budgetSpent(id, 1.2, 1, at);
    await hook.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const bodies = hook.received.map((request) => JSON.parse(request.body).data);
    expect(bodies.map((data) => data.threshold_percent).sort()).toEqual([100, 80]);
    expect(bodies.every((data) => data.api_key_id === id && data.period === '2026-12')).toBe(true);
  });

  it('announce a key that expires within seven days, once', async () => {
    const test = await buildTestApp({ env: fastRetries });
    const { key, id } = await test.createKey({ expires_in_days: 5 });
    await test.createKey({ expires_in_days: 30 });
    const hook = await receiver();
    await subscribe(test, key, hook.url, ['key.expiring']);
    const events = test.deps.services.webhooks.accountEvents;
    expect(await events.scanExpiringKeys()).toBe(1);
    expect(await events.scanExpiringKeys()).toBe(0);
    const [delivery] = await hook.waitFor(1);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'key.expiring', data: { api_key_id: id } });
  });
});
