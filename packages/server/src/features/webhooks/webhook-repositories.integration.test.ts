import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.ts';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.ts';
import { WebhookOutbox } from './webhook-outbox.ts';

const keyA = '0190a000-0000-7000-8000-00000000000a';
const keyB = '0190a000-0000-7000-8000-00000000000b';

/** The webhook tables behave the same on SQLite and PostgreSQL. */
describeEachDialect('webhook repositories', (dialect) => {
  const fixture = useTestDatabase(dialect);
  const parts = () => {
    const database = fixture().database;
    const endpoints = new WebhookEndpointsRepository(database);
    const deliveries = new WebhookDeliveriesRepository(database);
    return { database, endpoints, deliveries, outbox: new WebhookOutbox(database, endpoints, deliveries) };
  };
  const endpoint = (ownerKeyId: string, eventTypes: string[] = []) =>
    parts().endpoints.insert({
      ownerKeyId,
      kind: 'subscription',
      url: 'https://hooks.example.com/a',
      eventTypes,
      secret: 'whsec_x',
    });

  it('fans an event out to the owner’s subscribed, enabled endpoints only', async () => {
    const { outbox, endpoints, deliveries } = parts();
    const all = await endpoint(keyA);
    const jobsOnly = await endpoint(keyA, ['job.completed']);
    const disabled = await endpoint(keyA);
    await endpoints.update(disabled.id, { enabled: false });
    await endpoint(keyB);
    await outbox.publish({ type: 'budget.threshold', apiKeyId: keyA, data: {} });
    const claimed = await deliveries.claimDue(new Date(Date.now() + 1000), 10, 60_000);
    expect(claimed.map((item) => item.endpointId)).toEqual([all.id]);
    expect(JSON.parse(claimed[0]!.body)).toMatchObject({ type: 'budget.threshold', data: {} });
    expect(jobsOnly.eventTypes).toEqual(['job.completed']);
  });

  it('writes nothing when the transaction that published rolls back', async () => {
    const { database, outbox, deliveries } = parts();
    await endpoint(keyA);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await outbox.publish({ type: 'job.completed', apiKeyId: keyA, data: { id: 'j' } }, trx);
        throw new Error('the job update failed');
      }),
    ).rejects.toThrow('the job update failed');
    expect(await deliveries.pendingCount()).toBe(0);
  });

  it('leases a due delivery to one claimer until the lease runs out', async () => {
    const { outbox, deliveries } = parts();
    await endpoint(keyA);
    await outbox.publish({ type: 'webhook.test', apiKeyId: keyA, data: {} });
    const now = new Date(Date.now() + 1000);
    expect(await deliveries.claimDue(now, 10, 60_000)).toHaveLength(1);
    expect(await deliveries.claimDue(now, 10, 60_000)).toHaveLength(0);
    const [again] = await deliveries.claimDue(new Date(now.getTime() + 61_000), 10, 60_000);
    expect(again).toBeDefined();
    await deliveries.recordAttempt(again!.id, {
      status: 'succeeded',
      statusCode: 200,
      latencyMs: 5,
      at: now,
    });
    expect(await deliveries.get(again!.id)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 200,
    });
    expect(await deliveries.pendingCount()).toBe(0);
  });

  it('records an account notification once', async () => {
    const { database, deliveries } = parts();
    expect(await deliveries.notifyOnce(database.db, keyA, 'budget.threshold:80:2026-12')).toBe(true);
    expect(await deliveries.notifyOnce(database.db, keyA, 'budget.threshold:80:2026-12')).toBe(false);
    expect(await deliveries.notifyOnce(database.db, keyB, 'budget.threshold:80:2026-12')).toBe(true);
  });

  it('rotates a secret keeping the previous one, and lists subscriptions by owner', async () => {
    const { endpoints } = parts();
    const first = await endpoint(keyA);
    await endpoint(keyB);
    const until = new Date(Date.now() + 3_600_000);
    const rotated = await endpoints.rotateSecret(first.id, 'whsec_y', until);
    expect(rotated).toMatchObject({
      secret: 'whsec_y',
      previousSecret: 'whsec_x',
      previousSecretExpiresAt: until,
    });
    expect((await endpoints.list(keyA, {})).items.map((item) => item.id)).toEqual([first.id]);
    expect((await endpoints.list(undefined, {})).items).toHaveLength(2);
    expect(await endpoints.softDelete(first.id)).toBe(true);
    expect(await endpoints.get(first.id)).toBeUndefined();
  });
});
