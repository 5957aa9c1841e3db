import { expect, it } from 'vitest';
import { buildHistoryApp } from '../../../test/support/history-app.ts';
import { describeEachDialect } from '../../../test/support/test-databases.ts';

describeEachDialect('POST /v1/api-keys/{id}/usage/reset', (dialect) => {
  it('starts the key’s hourly and monthly counters over, keeps its history, and is audited', async () => {
    const testApp = await buildHistoryApp(dialect);
    const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
    const user = await testApp.createKey({ name: 'limited', rate_limit_per_hour: 2 });
    expect((await testApp.analyze(user.key, { prompt: 'Translate Hello World to French' })).status).toBe(200);
    expect((await testApp.analyze(user.key, { prompt: 'Translate Good Night to French' })).status).toBe(200);
    expect((await testApp.analyze(user.key, { prompt: 'One more please' })).status).toBe(429);
    await testApp.flush();
    const before = (await testApp.get(`/v1/api-keys/${user.id}`, admin.key)).json();
    expect(before.usage.requests_this_month).toBeGreaterThanOrEqual(2);

    const reset = await testApp.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${user.id}/usage/reset`,
      headers: { 'x-api-key': admin.key },
    });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().usage).toMatchObject({ requests_this_hour: 0, requests_this_month: 0 });

    expect((await testApp.analyze(user.key, { prompt: 'One more please' })).status).toBe(200);
    await testApp.flush();
    const history = (await testApp.get('/v1/requests', user.key)).json();
    expect(history.items.length).toBeGreaterThanOrEqual(3);

    await testApp.deps.services.audit.drain();
    const audit = await testApp.deps.services.audit.list({ eventType: 'key.usage_reset' });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorKeyId: admin.id, resource: `api_key:${user.id}` });
    expect(audit.items[0]!.details.previous).toMatchObject({
      requestsThisMonth: before.usage.requests_this_month,
    });

    const unknown = await testApp.app.inject({
      method: 'POST',
      url: '/v1/api-keys/0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f/usage/reset',
      headers: { 'x-api-key': admin.key },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
