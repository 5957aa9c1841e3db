import { expect, it } from 'vitest';
import { buildHistoryApp } from '../../../test/support/history-app.ts';
import { describeEachDialect } from '../../../test/support/test-databases.ts';

describeEachDialect('GET /v1/usage', (dialect) => {
  async function seeded() {
    const testApp = await buildHistoryApp(dialect);
    const alice = await testApp.createKey({ name: 'alice' });
    const bob = await testApp.createKey({ name: 'bob' });
    const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
    const first = await testApp.analyze(alice.key, { prompt: 'Translate Hello World to French' });
    await testApp.analyze(alice.key, { prompt: 'Translate Hello World to French' }); // a cache hit
    await testApp.analyze(alice.key, { prompt: 'Anything', schema: { type: 'nonsense' } }); // an error
    await testApp.analyze(bob.key, { prompt: 'Summarize the quarterly invoices' });
    await testApp.flush();
    return { testApp, alice, bob, admin, first };
  }

  it('totals a key’s own requests, cache savings and errors, matching its history', async () => {
    const { testApp, alice, first } = await seeded();
    const response = await testApp.get('/v1/usage?bucket=hour', alice.key);
    expect(response.statusCode).toBe(200);
    const report = response.json();
    const history = (await testApp.get('/v1/requests', alice.key)).json().items;
    const sum = (field: string) =>
      history.reduce((total: number, item: Record<string, number>) => total + item[field]!, 0);
    const original = (await testApp.get(`/v1/requests/${first.requestId}`, alice.key)).json();
    expect(report.totals).toMatchObject({
      requests: history.length,
      prompt_tokens: sum('prompt_tokens'),
      completion_tokens: sum('completion_tokens'),
      cache_hits: 1,
      saved_tokens: original.prompt_tokens + original.completion_tokens,
      errors: 1,
      validation_failures: 0,
    });
    expect(report.totals.saved_tokens).toBeGreaterThan(0);
    expect(report.series).toHaveLength(1);
    expect(report.series[0]).toMatchObject({ requests: history.length });
    expect(report.series[0].latency_p95_ms).toBeGreaterThanOrEqual(report.series[0].latency_p50_ms);
  });

  it('groups by key for an admin, refuses another key’s usage to a user key, and exports CSV', async () => {
    const { testApp, alice, bob, admin } = await seeded();
    const grouped = (await testApp.get('/v1/usage?bucket=day&group_by=key', admin.key)).json();
    const byKey = Object.fromEntries(
      grouped.series.map((point: { group: string; requests: number }) => [point.group, point.requests]),
    );
    expect(byKey).toEqual({ [alice.id]: 3, [bob.id]: 1 });
    expect(grouped.totals.requests).toBe(4);

    const peek = await testApp.get(`/v1/usage?api_key_id=${bob.id}`, alice.key);
    expect(peek.statusCode).toBe(403);
    expect(peek.headers['content-type']).toMatch(/^application\/problem\+json/);

    const csv = await testApp.get('/v1/usage?bucket=month&group_by=provider&format=csv', admin.key);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 3)).toEqual(['bucket_start', 'group', 'requests']);
    const requestsColumn = lines.slice(1).map((line) => Number(line.split(',')[2]));
    expect(requestsColumn.reduce((a, b) => a + b, 0)).toBe(4);

    const tooLong = await testApp.get('/v1/usage?bucket=hour&from=2020-01-01T00:00:00Z', admin.key);
    expect(tooLong.statusCode).toBe(400);
  });

  it('compares providers: volume, error rate and first-attempt pass rate', async () => {
    const { testApp, admin, alice } = await seeded();
    const report = (await testApp.get('/v1/usage/providers', admin.key)).json();
    const heuristic = report.items.find((item: { provider: string }) => item.provider === 'heuristic');
    // Three answered requests, one of them from the cache; the error never reached a provider.
    expect(heuristic).toMatchObject({ requests: 3, error_rate: 0, first_attempt_pass_rate: 1 });
    const unrouted = report.items.find((item: { provider: string | null }) => item.provider === null);
    expect(unrouted).toMatchObject({ requests: 1, error_rate: 1 });
    const own = (await testApp.get('/v1/usage/providers', alice.key)).json();
    expect(own.items.reduce((total: number, item: { requests: number }) => total + item.requests, 0)).toBe(3);
  });
});
