import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { WebhookReceiver } from '../../../test/support/webhook-receiver.ts';

const env = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
  WEBHOOK_POLL_INTERVAL_MS: '20',
};

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

describe('job webhooks', () => {
  it("POST a signed job.completed to the job's webhook_url and to the key's subscriptions", async () => {
    const test = await buildTestApp({ env });
    const { key } = await test.createKey();
    const own = await WebhookReceiver.start();
    const subscribed = await WebhookReceiver.start();
    receivers.push(own, subscribed);
    const subscription = await test.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { 'x-api-key': key },
      payload: { url: subscribed.url, event_types: ['job.completed'] },
    });
    expect(subscription.statusCode).toBe(201);

    const submitted = await test.app.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: { 'x-api-key': key },
      payload: { items: [{ prompt: 'Translate Hello World to French' }], webhook_url: own.url },
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const job = submitted.json();
    expect(job.webhook_secret).toMatch(/^whsec_/);
    const fetched = await test.app.inject({ url: `/v1/jobs/${job.id}`, headers: { 'x-api-key': key } });
    expect(fetched.json().webhook_secret).toBeUndefined();

    const [delivery] = await own.waitFor(1, 20_000);
    const event = new Webhook(job.webhook_secret).verify(
      delivery!.body,
      delivery!.headers as Record<string, string>,
    );
    expect(event).toMatchObject({
      type: 'job.completed',
      data: { id: job.id, status: 'completed', total_items: 1, progress: { succeeded: 1 } },
    });
    const [copy] = await subscribed.waitFor(1, 20_000);
    expect(copy!.headers['webhook-id']).toBe(delivery!.headers['webhook-id']);
    const verified = new Webhook(subscription.json().secret).verify(
      copy!.body,
      copy!.headers as Record<string, string>,
    );
    expect(verified).toMatchObject({ type: 'job.completed', data: { id: job.id } });
  });

  it('refuses a job whose webhook_url points inside the network, and stores no job', async () => {
    const test = await buildTestApp({ env: { ...env, WEBHOOK_ALLOWED_CIDRS: '127.0.0.2/32' } });
    const { key } = await test.createKey();
    const refused = await test.app.inject({
      method: 'POST',
      url: '/v1/analyze/async?webhook_url=http://127.0.0.1:9/hook',
      headers: { 'x-api-key': key },
      payload: { prompt: 'Translate Hello World to French' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'webhook_url_refused' });
    const jobs = await test.app.inject({ url: '/v1/jobs', headers: { 'x-api-key': key } });
    expect(jobs.json().items).toEqual([]);
  });

  it('announce a cancelled job', async () => {
    const test = await buildTestApp({ env: { ...env, JOB_WORKER_IN_PROCESS: 'false' } });
    const { key } = await test.createKey();
    const own = await WebhookReceiver.start();
    receivers.push(own);
    const submitted = await test.app.inject({
      method: 'POST',
      url: `/v1/analyze/async?webhook_url=${encodeURIComponent(own.url)}`,
      headers: { 'x-api-key': key },
      payload: { prompt: 'Translate Hello World to French' },
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const { id, webhook_secret: secret } = submitted.json();
    const cancelled = await test.app.inject({
      method: 'POST',
      url: `/v1/jobs/${id}/cancel`,
      headers: { 'x-api-key': key },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const [delivery] = await own.waitFor(1, 20_000);
    expect(
      new Webhook(secret).verify(delivery!.body, delivery!.headers as Record<string, string>),
    ).toMatchObject({
      type: 'job.cancelled',
      data: { id, status: 'cancelled' },
    });
  });
});
