import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { WebhookReceiver } from '../../../test/support/webhook-receiver.ts';

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

// The receivers listen on loopback; only 127.0.0.2 is allow-listed, so 127.0.0.1 stands for any
// address inside the network that a webhook must not reach.
const env = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_CIDRS: '127.0.0.2/32',
  WEBHOOK_RETRY_SCHEDULE: '0',
  WEBHOOK_POLL_INTERVAL_MS: '20',
};

describe('webhook SSRF guard', () => {
  it('refuses loopback, private and metadata addresses at registration', async () => {
    const test = await buildTestApp({ env });
    const { key } = await test.createKey();
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://[::1]:9/hook',
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const response = await test.app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: { 'x-api-key': key },
        payload: { url },
      });
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toMatchObject({ code: 'webhook_url_refused' });
    }
  });

  it('checks the resolved address at delivery time and follows no redirect', async () => {
    const test = await buildTestApp({ env });
    const { key } = await test.createKey();
    const inside = await WebhookReceiver.start({ host: '127.0.0.1' });
    const redirector = await WebhookReceiver.start({
      host: '127.0.0.2',
      statuses: [307],
      headers: { location: inside.url },
    });
    receivers.push(inside, redirector);
    const port = new URL(inside.url).port;
    const targets = [`http://localhost:${port}/hook`, redirector.url];
    const ids: string[] = [];
    for (const url of targets) {
      const created = await test.app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: { 'x-api-key': key },
        payload: { url },
      });
      expect(created.statusCode, url).toBe(201);
      ids.push(created.json().id);
      await test.app.inject({
        method: 'POST',
        url: `/v1/webhooks/${created.json().id}/test`,
        headers: { 'x-api-key': key },
      });
    }
    const logs = await Promise.all(ids.map((id) => failedDelivery(test, key, id)));
    expect(logs[0]).toMatchObject({
      response_status: null,
      error: expect.stringContaining('not a public address'),
    });
    expect(logs[1]).toMatchObject({ response_status: 307 });
    expect(redirector.received).toHaveLength(2);
    expect(inside.received).toHaveLength(0);
  });
});

async function failedDelivery(test: Awaited<ReturnType<typeof buildTestApp>>, key: string, id: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = (
      await test.app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: { 'x-api-key': key } })
    ).json();
    const failed = list.items.find((item: { status: string }) => item.status === 'failed');
    if (failed) return failed;
    if (Date.now() > deadline) throw new Error(`no failed delivery: ${JSON.stringify(list.items)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
