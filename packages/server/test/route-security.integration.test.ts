import { describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-app.ts';

/**
 * The shared security suite: walks the app's whole route table, so a new route is covered the moment
 * it exists. Public routes are only the ones the design lists.
 */
const publicRoutes = [
  /^\/$/,
  /^\/dashboard(\/|$)/,
  /^\/v1\/health(\/|$)/,
  /^\/docs(\/|$)/,
  /^\/redoc(\/|$)/,
  /^\/openapi\.json$/,
];
const isPublic = (url: string) => publicRoutes.some((pattern) => pattern.test(url));
const sampleId = '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f';
/** Routes that answer errors in OpenAI's shape (`{error: {message, …}}`) instead of problem+json. */
const openAiShaped = new Set(['/v1/chat/completions', '/v1/models']);
const concrete = (url: string) => url.replace(/:[A-Za-z_]+/g, sampleId).replace(/\*$/, 'x');

async function protectedRoutes(testApp: TestApp) {
  await testApp.app.ready();
  return testApp.app.routeCatalog
    .filter((route) => route.method !== 'HEAD' && route.method !== 'OPTIONS')
    .filter((route) => !['public', 'probe', 'metrics'].includes(route.auth ?? '') && !isPublic(route.url));
}

async function expectRejected(
  testApp: TestApp,
  method: string,
  url: string,
  headers: Record<string, string>,
  status: number,
) {
  const response = await testApp.app.inject({ method: method as 'GET', url: concrete(url), headers });
  expect(response.statusCode, `${method} ${url} with ${JSON.stringify(Object.keys(headers))}`).toBe(status);
  if (openAiShaped.has(url)) {
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    return { headers: response.headers, json: () => ({ detail: response.json().error.message }) };
  }
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return response;
}

describe('every non-public route requires a valid key', () => {
  it('has protected routes to check, and only the documented public ones are public', async () => {
    const testApp = await buildTestApp();
    const routes = await protectedRoutes(testApp);
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const declaredPublic = testApp.app.routeCatalog
      .filter((route) => route.auth === 'public' || route.auth === 'probe')
      .map((route) => route.url);
    expect(declaredPublic.every(isPublic)).toBe(true);
  });

  it('rejects a missing, malformed, unknown, revoked and expired key alike, with the same detail', async () => {
    const testApp = await buildTestApp({
      env: { AUTH_FAILURES_PER_MINUTE: '100000', KEY_CACHE_TTL_MS: '0' },
    });
    const revoked = await testApp.createKey({ name: 'revoked' });
    await testApp.deps.services.apiKeys.revoke(revoked.id, { keyId: null, ip: null, requestId: null });
    const expired = await testApp.createKey({ name: 'expired' });
    await testApp.deps.services.apiKeysRepository.update(expired.id, {
      expiresAt: new Date(Date.now() - 1000),
    });

    const cases: Array<[string, Record<string, string>]> = [
      ['missing', {}],
      ['malformed', { 'x-api-key': 'sp_not-hex' }],
      ['unknown', { authorization: `Bearer sp_${'0'.repeat(64)}` }],
      ['revoked', { 'x-api-key': revoked.key }],
      ['expired', { authorization: `Bearer ${expired.key}` }],
    ];
    for (const route of await protectedRoutes(testApp)) {
      const details = new Set<string>();
      for (const [, headers] of cases) {
        const response = await expectRejected(testApp, route.method, route.url, headers, 401);
        expect(response.headers['www-authenticate']).toBe('Bearer realm="structured-prompt"');
        details.add(response.json().detail);
      }
      expect(details.size, `${route.method} ${route.url} gives one detail for every case`).toBe(1);
    }

    await testApp.deps.services.audit.drain();
    const audit = await testApp.deps.services.audit.list({ eventType: 'auth.failed' }, { limit: 200 });
    const reasons = new Set(audit.items.map((item) => item.details.reason));
    expect(reasons).toEqual(new Set(['missing', 'malformed', 'unknown', 'revoked', 'expired']));
  });

  it('rejects a user key on every admin route with 403', async () => {
    const testApp = await buildTestApp();
    const user = await testApp.createKey({ scopes: ['user'] });
    const adminRoutes = (await protectedRoutes(testApp)).filter((route) => route.auth === 'admin');
    expect(adminRoutes.length).toBeGreaterThanOrEqual(6);
    for (const route of adminRoutes) {
      const response = await expectRejected(testApp, route.method, route.url, { 'x-api-key': user.key }, 403);
      expect(response.json().code).toBe('forbidden');
    }
  });

  it('does not let a user key read another key', async () => {
    const testApp = await buildTestApp();
    const alice = await testApp.createKey({ name: 'alice' });
    const bob = await testApp.createKey({ name: 'bob' });
    const other = await testApp.app.inject({
      method: 'GET',
      url: `/v1/api-keys/${bob.id}`,
      headers: { 'x-api-key': alice.key },
    });
    expect(other.statusCode).toBe(403);
    const own = await testApp.app.inject({
      method: 'GET',
      url: '/v1/api-keys/me',
      headers: { 'x-api-key': alice.key },
    });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id: alice.id, name: 'alice' });
    expect(own.body).not.toContain(bob.id);
  });

  it('lets only the key that started a cache warm-up, or an admin key, read its progress', async () => {
    const testApp = await buildTestApp();
    const owner = await testApp.createKey({ name: 'owner' });
    const other = await testApp.createKey({ name: 'other' });
    const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
    const started = await testApp.app.inject({
      method: 'POST',
      url: '/v1/cache/warm',
      headers: { 'x-api-key': owner.key },
      payload: { items: [{ prompt: 'Warm this answer' }] },
    });
    expect(started.statusCode).toBe(202);
    const read = (key: string, id: string = started.json().id) =>
      testApp.app.inject({ method: 'GET', url: `/v1/cache/warm/${id}`, headers: { 'x-api-key': key } });
    // The run's first analysis loads the pipeline, which takes seconds on a busy machine.
    await expect
      .poll(async () => (await read(owner.key)).json().status, { timeout: 30_000 })
      .toBe('completed');

    expect((await read(admin.key)).json()).toMatchObject({ id: started.json().id, total: 1 });
    // Another key learns nothing, not even that the run exists: the answer is the one for an unknown id.
    const foreign = await read(other.key);
    const unknown = await read(other.key, sampleId);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().detail).toBe(unknown.json().detail);
    expect(foreign.body).not.toContain('"total"');
  });

  it("does not let a user key change another key's schema (403), nor see a private one (404)", async () => {
    const testApp = await buildTestApp();
    const owner = await testApp.createKey({ name: 'owner' });
    const other = await testApp.createKey({ name: 'other' });
    const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
    const call = (key: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      testApp.app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload ? { payload } : {}) });
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const shared = (
      await call(owner.key, 'POST', '/v1/schemas', { name: 'shared', schema, visibility: 'public' })
    ).json();
    const secret = (await call(owner.key, 'POST', '/v1/schemas', { name: 'secret', schema })).json();
    const changes: Array<['PUT' | 'DELETE' | 'POST', string, object | undefined]> = [
      ['PUT', '', { tags: ['mine'] }],
      ['DELETE', '', undefined],
      ['POST', '/versions', { schema: { ...schema, required: ['a'] } }],
    ];

    for (const [method, suffix, payload] of changes) {
      const forbidden = await call(other.key, method, `/v1/schemas/${shared.id}${suffix}`, payload);
      expect(forbidden.statusCode, `${method} on a public schema of another key`).toBe(403);
      expect(forbidden.json().code).toBe('forbidden');
      const hidden = await call(other.key, method, `/v1/schemas/${secret.id}${suffix}`, payload);
      expect(hidden.statusCode, `${method} on a private schema of another key`).toBe(404);
    }
    // The library belongs to the system: no user key changes it.
    expect((await call(other.key, 'PUT', '/v1/schemas/translation', { tags: ['x'] })).statusCode).toBe(403);

    const unknown = await call(other.key, 'GET', `/v1/schemas/${sampleId}`);
    for (const url of [
      `/v1/schemas/${secret.id}`,
      '/v1/schemas/secret',
      `/v1/schemas/${secret.id}/versions`,
    ]) {
      const response = await call(other.key, 'GET', url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('"latest_version"');
    }
    expect(unknown.statusCode).toBe(404);
    const listed = await call(other.key, 'GET', `/v1/schemas?owner=${owner.id}`);
    expect(listed.json().items.map((item: { name: string }) => item.name)).toEqual(['shared']);

    // The owner and admin keys still see and change it; nothing above changed it.
    expect((await call(owner.key, 'GET', `/v1/schemas/${secret.id}`)).json().tags).toEqual([]);
    expect(
      (await call(admin.key, 'PUT', `/v1/schemas/${secret.id}`, { tags: ['reviewed'] })).statusCode,
    ).toBe(200);
    expect((await call(owner.key, 'GET', '/v1/schemas/shared')).json()).toMatchObject({
      latest_version: '1.0.0',
      deleted_at: null,
    });
  });

  it('lets a user key change only its own prompt templates, and hides private ones from other keys', async () => {
    const testApp = await buildTestApp();
    const owner = await testApp.createKey({ name: 'owner' });
    const other = await testApp.createKey({ name: 'other' });
    const call = (key: string, method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, payload?: object) =>
      testApp.app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload && { payload }) });
    const shared = await call(owner.key, 'POST', '/v1/templates', {
      name: 'shared',
      template: 'Hi {{ who }}',
      parameters: [{ name: 'who', required: true }],
      visibility: 'public',
    });
    const hidden = await call(owner.key, 'POST', '/v1/templates', {
      name: 'hidden',
      template: 'secret text',
    });
    expect([shared.statusCode, hidden.statusCode]).toEqual([201, 201]);
    for (const [method, payload] of [
      ['PUT', { description: 'taken over' }],
      ['DELETE', undefined],
    ] as const) {
      const refused = await call(other.key, method, `/v1/templates/${shared.json().id}`, payload);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('forbidden');
      // A private template answers exactly like one that does not exist.
      const invisible = await call(other.key, method, `/v1/templates/${hidden.json().id}`, payload);
      const unknown = await call(other.key, method, `/v1/templates/${sampleId}`, payload);
      expect(invisible.statusCode).toBe(404);
      expect(invisible.json().detail.replace(hidden.json().id, sampleId)).toBe(unknown.json().detail);
    }
    const listed = await call(other.key, 'GET', '/v1/templates?limit=200');
    expect(listed.body).not.toContain(hidden.json().id);
    expect(listed.body).not.toContain('secret text');
    expect((await call(owner.key, 'GET', `/v1/templates/${shared.json().id}`)).json().description).toBeNull();
  });

  it('locks out failed authentications from an address, while a valid key from it is still admitted', async () => {
    const testApp = await buildTestApp();
    const { authFailuresPerMinute } = testApp.config.auth;
    const valid = await testApp.createKey();
    const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
    const wrong = { 'x-api-key': `sp_${'1'.repeat(64)}` };
    for (let attempt = 0; attempt < authFailuresPerMinute; attempt += 1) {
      await expectRejected(testApp, 'GET', '/v1/api-keys/me', wrong, 401);
    }
    const locked = await expectRejected(testApp, 'GET', '/v1/api-keys/me', wrong, 429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    await expectRejected(testApp, 'GET', '/v1/api-keys/me', {}, 429);

    const me = await testApp.app.inject({
      method: 'GET',
      url: '/v1/api-keys/me',
      headers: { 'x-api-key': valid.key },
    });
    expect(me.statusCode).toBe(200);
    const keys = await testApp.app.inject({
      method: 'GET',
      url: '/v1/api-keys',
      headers: { 'x-api-key': admin.key },
    });
    expect(keys.statusCode).toBe(200);
    // Failures stay locked out after the valid key's visit.
    await expectRejected(testApp, 'GET', '/v1/api-keys/me', wrong, 429);
  });

  it('never lets a user key see, replay, export or erase another key’s requests or usage', async () => {
    const testApp = await buildTestApp();
    const alice = await testApp.createKey({ name: 'alice' });
    const bob = await testApp.createKey({ name: 'bob' });
    const asked = await testApp.app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': alice.key },
      payload: { prompt: 'Alice private invoice question' },
    });
    const requestId = String(asked.headers['x-request-id']);
    await testApp.deps.services.logWriter.flush();
    const as = (method: string, url: string, payload?: object) =>
      testApp.app.inject({ method: method as 'GET', url, headers: { 'x-api-key': bob.key }, payload });

    const unknown = await as('GET', `/v1/requests/${sampleId}`);
    for (const [method, url, payload] of [
      ['GET', `/v1/requests/${requestId}`],
      ['POST', `/v1/requests/${requestId}/replay`, {}],
      ['DELETE', `/v1/requests/${requestId}`],
    ] as const) {
      const response = await as(method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().detail.replace(requestId, sampleId)).toBe(unknown.json().detail);
      expect(response.body).not.toContain('Alice private');
    }
    for (const url of [
      `/v1/requests?api_key_id=${alice.id}`,
      `/v1/requests/export?api_key_id=${alice.id}`,
      `/v1/usage?api_key_id=${alice.id}`,
      `/v1/usage/providers?api_key_id=${alice.id}`,
    ]) {
      expect((await as('GET', url)).statusCode, url).toBe(403);
    }
    for (const url of [
      '/v1/requests',
      '/v1/requests/export',
      '/v1/requests?q=alice',
      '/v1/usage?group_by=key',
    ]) {
      const response = await as('GET', url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).not.toContain(requestId);
      expect(response.body, url).not.toContain(alice.id);
    }
    const own = await testApp.app.inject({
      method: 'GET',
      url: `/v1/requests/${requestId}`,
      headers: { 'x-api-key': alice.key },
    });
    expect(own.json()).toMatchObject({ prompt: 'Alice private invoice question', erased: false });
  });
});
