import { describe, expect, it } from 'vitest';
import { buildTestApp, LogCapture } from '../../../test/support/build-app.ts';

async function adminApp(env: Record<string, string> = {}, captureLogs?: LogCapture) {
  const testApp = await buildTestApp({ env: { KEY_CACHE_TTL_MS: '0', ...env }, captureLogs });
  const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
  const as = (key: string) => ({ 'x-api-key': key });
  return { ...testApp, admin, as };
}

describe('API key lifecycle over HTTP', () => {
  it('creates a key whose secret is shown once and works at once', async () => {
    const { app, admin, as } = await adminApp();
    const created = await app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: as(admin.key),
      payload: {
        name: 'billing',
        team: 'payments',
        scopes: ['user'],
        rate_limit_per_hour: 50,
        monthly_budget_usd: 5,
        expires_in_days: 30,
      },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.key).toMatch(/^sp_[0-9a-f]{64}$/);
    expect(body.key_prefix).toBe(body.key.slice(0, 9));
    expect(body).toMatchObject({
      name: 'billing',
      team: 'payments',
      scopes: ['user'],
      rate_limit_per_hour: 50,
      monthly_budget_usd: 5,
      is_active: true,
    });
    expect(new Date(body.expires_at).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(created.headers['cache-control']).toBe('no-store');

    const me = await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(body.key) });
    expect(me.statusCode).toBe(200);
    expect(me.json().usage).toMatchObject({ requests_this_hour: 0, requests_this_month: 0 });

    const fetched = await app.inject({
      method: 'GET',
      url: `/v1/api-keys/${body.id}`,
      headers: as(admin.key),
    });
    expect(fetched.json().key).toBeUndefined();
    expect(fetched.body).not.toContain(body.key);
    expect(fetched.body).not.toContain('key_hash');
  });

  it('lists keys with cursor pagination and never includes secrets or hashes', async () => {
    const { app, admin, as, createKey } = await adminApp();
    for (let index = 0; index < 4; index += 1) await createKey({ name: `k${index}` });
    const first = await app.inject({ method: 'GET', url: '/v1/api-keys?limit=3', headers: as(admin.key) });
    expect(first.json().items).toHaveLength(3);
    const cursor = first.json().next_cursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await app.inject({
      method: 'GET',
      url: `/v1/api-keys?limit=3&cursor=${cursor}`,
      headers: as(admin.key),
    });
    expect(second.json().items).toHaveLength(2);
    expect(second.json().next_cursor).toBeNull();
    const ids = [...first.json().items, ...second.json().items].map((item: { id: string }) => item.id);
    expect(new Set(ids).size).toBe(5);
    expect(first.body + second.body).not.toMatch(/sp_[0-9a-f]{64}|key_hash/);
  });

  it('revokes and re-activates a key', async () => {
    const { app, admin, as, createKey } = await adminApp();
    const user = await createKey();
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/v1/api-keys/${user.id}`,
      headers: as(admin.key),
    });
    expect(revoked.json()).toMatchObject({ is_active: false, revoked_at: expect.any(String) });
    expect(
      (await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(user.key) })).statusCode,
    ).toBe(401);
    const activated = await app.inject({
      method: 'POST',
      url: `/v1/api-keys/${user.id}/activate`,
      headers: as(admin.key),
    });
    expect(activated.json().is_active).toBe(true);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(user.key) })).statusCode,
    ).toBe(200);
  });

  it('rotates a key: the old secret stops at once by default', async () => {
    const { app, admin, as, createKey } = await adminApp();
    const user = await createKey();
    const rotated = await app.inject({
      method: 'POST',
      url: `/v1/api-keys/${user.id}/rotate`,
      headers: as(admin.key),
      payload: {},
    });
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json().key;
    expect(fresh).not.toBe(user.key);
    expect(rotated.json().id).toBe(user.id);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(user.key) })).statusCode,
    ).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(fresh) })).statusCode).toBe(
      200,
    );
  });

  it('rotates with a grace period: both secrets work until it ends', async () => {
    const { app, admin, as, createKey } = await adminApp();
    const user = await createKey();
    const rotated = await app.inject({
      method: 'POST',
      url: `/v1/api-keys/${user.id}/rotate`,
      headers: as(admin.key),
      payload: { grace_period_seconds: 3600 },
    });
    const fresh = rotated.json().key;
    expect(
      (await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(user.key) })).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(fresh) })).statusCode).toBe(
      200,
    );
  });

  it('answers unknown ids with 404 and bad input with 400, all problem+json', async () => {
    const { app, admin, as } = await adminApp();
    const missing = await app.inject({
      method: 'GET',
      url: '/v1/api-keys/0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f',
      headers: as(admin.key),
    });
    expect(missing.statusCode).toBe(404);
    const badId = await app.inject({ method: 'GET', url: '/v1/api-keys/not-a-uuid', headers: as(admin.key) });
    expect(badId.statusCode).toBe(400);
    const badBody = await app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: as(admin.key),
      payload: { name: '', scopes: ['root'] },
    });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining(['/body/name']),
    );
  });

  it('records key events in the audit log, readable as JSON and JSON lines', async () => {
    const { app, admin, as, createKey } = await adminApp();
    const user = await createKey();
    await app.inject({ method: 'DELETE', url: `/v1/api-keys/${user.id}`, headers: as(admin.key) });
    await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(user.key) });
    const page = await app.inject({
      method: 'GET',
      url: '/v1/audit-logs?event_type=key.revoked',
      headers: as(admin.key),
    });
    expect(page.json().items).toEqual([
      expect.objectContaining({
        event_type: 'key.revoked',
        actor_key_id: admin.id,
        resource: `api_key:${user.id}`,
      }),
    ]);
    const lines = await app.inject({
      method: 'GET',
      url: '/v1/audit-logs?format=jsonl',
      headers: as(admin.key),
    });
    expect(lines.headers['content-type']).toMatch(/application\/x-ndjson/);
    const events = lines.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).event_type);
    expect(events).toEqual(expect.arrayContaining(['key.created', 'key.revoked', 'auth.failed']));
  });

  it('never writes a raw key to the logs or the audit log', async () => {
    const logs = new LogCapture();
    const { app, admin, as, deps } = await adminApp({}, logs);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: as(admin.key),
      payload: { name: 'secretive' },
    });
    const raw = created.json().key as string;
    await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(raw) });
    await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: { authorization: `Bearer ${raw}` } });
    const rotated = await app.inject({
      method: 'POST',
      url: `/v1/api-keys/${created.json().id}/rotate`,
      headers: as(admin.key),
      payload: {},
    });
    await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: as(raw) });
    await deps.services.audit.drain();
    expect(logs.lines.length).toBeGreaterThan(5);
    for (const secret of [raw, admin.key, rotated.json().key as string]) {
      expect(logs.text).not.toContain(secret);
      expect(logs.text).not.toContain(secret.slice(3));
    }
    const audit = await deps.services.audit.list({}, { limit: 200 });
    expect(JSON.stringify(audit.items)).not.toContain(raw.slice(3));
  });
});
