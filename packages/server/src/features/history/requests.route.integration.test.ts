import { expect, it } from 'vitest';
import { buildHistoryApp } from '../../../test/support/history-app.ts';
import { describeEachDialect } from '../../../test/support/test-databases.ts';

describeEachDialect('GET /v1/requests', (dialect) => {
  async function seeded() {
    const testApp = await buildHistoryApp(dialect);
    const alice = await testApp.createKey({ name: 'alice' });
    const bob = await testApp.createKey({ name: 'bob' });
    const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
    const invoice = await testApp.analyze(alice.key, {
      prompt: 'Invoice Jane for the March consulting work',
    });
    const translate = await testApp.analyze(alice.key, { prompt: 'Translate Hello World to French' });
    const broken = await testApp.analyze(alice.key, { prompt: 'Anything', schema: { type: 'nonsense' } });
    const bobs = await testApp.analyze(bob.key, { prompt: 'Summarize the quarterly invoices of Bob' });
    await testApp.flush();
    return { testApp, alice, bob, admin, ids: { invoice, translate, broken, bobs } };
  }

  it('shows a user key its own requests only, newest first, and an admin key every key', async () => {
    const { testApp, alice, bob, admin, ids } = await seeded();
    const own = (await testApp.get('/v1/requests', alice.key)).json();
    expect(own.items.map((item: { request_id: string }) => item.request_id)).toEqual([
      ids.broken.requestId,
      ids.translate.requestId,
      ids.invoice.requestId,
    ]);
    expect(own.items.every((item: { api_key_id: string }) => item.api_key_id === alice.id)).toBe(true);

    const all = (await testApp.get('/v1/requests', admin.key)).json();
    expect(all.items).toHaveLength(4);
    const bobsOnly = (await testApp.get(`/v1/requests?api_key_id=${bob.id}`, admin.key)).json();
    expect(bobsOnly.items.map((item: { request_id: string }) => item.request_id)).toEqual([
      ids.bobs.requestId,
    ]);

    const peek = await testApp.get(`/v1/requests?api_key_id=${bob.id}`, alice.key);
    expect(peek.statusCode).toBe(403);
    expect(peek.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('filters by status, provider and prompt words, and pages with a cursor', async () => {
    const { testApp, alice, admin, ids } = await seeded();
    const errors = (await testApp.get('/v1/requests?status=error', alice.key)).json();
    expect(errors.items.map((item: { request_id: string }) => item.request_id)).toEqual([
      ids.broken.requestId,
    ]);
    const successes = (await testApp.get('/v1/requests?status=success&provider=heuristic', alice.key)).json();
    expect(successes.items).toHaveLength(2);

    // Word prefixes, case-insensitive, every word required; the admin sees both keys' matches.
    const invoices = (await testApp.get('/v1/requests?q=INVOICE', admin.key)).json();
    expect(invoices.items.map((item: { request_id: string }) => item.request_id).sort()).toEqual(
      [ids.invoice.requestId, ids.bobs.requestId].sort(),
    );
    const both = (await testApp.get('/v1/requests?q=invoice%20march', admin.key)).json();
    expect(both.items.map((item: { request_id: string }) => item.request_id)).toEqual([
      ids.invoice.requestId,
    ]);
    expect((await testApp.get('/v1/requests?q=%22%29%20OR', admin.key)).json().items).toEqual([]);

    const first = (await testApp.get('/v1/requests?limit=2', alice.key)).json();
    expect(first.items).toHaveLength(2);
    const second = (await testApp.get(`/v1/requests?limit=2&cursor=${first.next_cursor}`, alice.key)).json();
    expect(second.items.map((item: { request_id: string }) => item.request_id)).toEqual([
      ids.invoice.requestId,
    ]);
    expect(second.next_cursor).toBeNull();
    expect((await testApp.get('/v1/requests?cursor=nonsense', alice.key)).statusCode).toBe(400);
  });

  it('returns one stored request in full to its key, and a 404 to any other user key', async () => {
    const { testApp, alice, bob, admin, ids } = await seeded();
    const detail = await testApp.get(`/v1/requests/${ids.invoice.requestId}`, alice.key);
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body).toMatchObject({
      request_id: ids.invoice.requestId,
      status: 'success',
      provider: 'heuristic',
      prompt: 'Invoice Jane for the March consulting work',
      options: { options: {} },
      erased: false,
    });
    expect(body.schema_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.answer).toEqual(expect.any(Object));
    expect(body.attempts.calls).toEqual([
      expect.objectContaining({ provider: 'heuristic', reason: 'initial' }),
    ]);

    const broken = (await testApp.get(`/v1/requests/${ids.broken.requestId}`, alice.key)).json();
    expect(broken).toMatchObject({
      status: 'error',
      prompt: null,
      options: { schema: { type: 'nonsense' } },
    });
    expect(broken.error).toMatch(/^invalid_schema/);

    const foreign = await testApp.get(`/v1/requests/${ids.invoice.requestId}`, bob.key);
    const unknown = await testApp.get('/v1/requests/no-such-request', bob.key);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().detail.replace(ids.invoice.requestId, 'X')).toBe(
      unknown.json().detail.replace('no-such-request', 'X'),
    );
    expect(foreign.body).not.toContain('Invoice Jane');
    expect((await testApp.get(`/v1/requests/${ids.invoice.requestId}`, admin.key)).statusCode).toBe(200);
  });

  it('keeps no prompt or answer for a key that turned prompt storage off', async () => {
    const testApp = await buildHistoryApp(dialect);
    const quiet = await testApp.createKey({ name: 'quiet', store_prompts: false });
    const { requestId } = await testApp.analyze(quiet.key, { prompt: 'Private matter for the lawyer' });
    await testApp.flush();
    const detail = (await testApp.get(`/v1/requests/${requestId}`, quiet.key)).json();
    expect(detail).toMatchObject({ prompt: null, answer: null, status: 'success' });
    expect(detail.prompt_tokens).toBeGreaterThan(0);
    const found = (await testApp.get('/v1/requests?q=lawyer', quiet.key)).json();
    expect(found.items).toEqual([]);
  });
});
