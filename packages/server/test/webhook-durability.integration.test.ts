import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer } from './support/spawn-server.ts';
import { WebhookReceiver } from './support/webhook-receiver.ts';

// A delivery accepted into the outbox survives kill -9 of the process between two attempts: the
// restarted process (same database) retries it and the receiver gets it. The kill may land before
// the failed attempt was recorded; then the claim's lease (timeout + 5 s) runs out and the delivery
// is taken again.
describe('webhook delivery across a crash', () => {
  const directory = mkdtempSync(join(tmpdir(), 'sps-webhook-crash-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('delivers after kill -9 between attempts', async () => {
    const receiver = await WebhookReceiver.start({ statuses: [503, 200] });
    const adminKey = `sp_${'d'.repeat(64)}`;
    const env = {
      SPS_ADMIN_KEY: adminKey,
      DATABASE_URL: `sqlite:${join(directory, 'sps.db')}`,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      // The retry comes 2 s after the first failure: the process is killed inside that window.
      WEBHOOK_RETRY_SCHEDULE: '2',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
    };
    const first = await spawnServer(env);
    let secret = '';
    try {
      const headers = { 'content-type': 'application/json', 'x-api-key': adminKey };
      const created = await fetch(`${first.baseUrl}/v1/webhooks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ url: receiver.url }),
      });
      expect(created.status).toBe(201);
      const endpoint = (await created.json()) as { id: string; secret: string };
      secret = endpoint.secret;
      const test = await fetch(`${first.baseUrl}/v1/webhooks/${endpoint.id}/test`, {
        method: 'POST',
        headers: { 'x-api-key': adminKey },
      });
      expect(test.status).toBe(202);
      await receiver.waitFor(1);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    expect(receiver.received).toHaveLength(1);

    const second = await spawnServer(env);
    try {
      const received = await receiver.waitFor(2, 30_000);
      const [failed, retried] = received;
      expect(retried!.headers['webhook-id']).toBe(failed!.headers['webhook-id']);
      expect(
        new Webhook(secret).verify(retried!.body, retried!.headers as Record<string, string>),
      ).toMatchObject({
        type: 'webhook.test',
      });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      await receiver.close();
    }
  });
});
