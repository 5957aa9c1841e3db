import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './support/build-app.ts';

/** The documented seed API's forms keep working: trailing slashes, `cache_ttl` at the top level. */
describe('seed API compatibility', () => {
  it('answers the trailing-slash forms of documented endpoints like the canonical paths', async () => {
    const testApp = await buildTestApp();
    const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
    const analyze = await testApp.app.inject({
      method: 'POST',
      url: '/v1/analyze/',
      headers: { 'x-api-key': admin.key },
      payload: { prompt: 'Translate Hello World to French' },
    });
    expect(analyze.statusCode).toBe(200);
    expect(analyze.json()).toMatchObject({ provider: 'heuristic', validation: { status: 'passed' } });
    const keys = await testApp.app.inject({
      method: 'GET',
      url: '/v1/api-keys/',
      headers: { 'x-api-key': admin.key },
    });
    expect(keys.statusCode).toBe(200);
    expect(keys.json().items.map((item: { id: string }) => item.id)).toContain(admin.id);
    // Still authenticated and authorised like the canonical path.
    const user = await testApp.createKey({ name: 'user' });
    const refused = await testApp.app.inject({
      method: 'GET',
      url: '/v1/api-keys/',
      headers: { 'x-api-key': user.key },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('takes a top-level cache_ttl as options.cache_ttl, which wins when both are given', async () => {
    const testApp = await buildTestApp();
    const { key } = await testApp.createKey();
    const ask = async (payload: Record<string, unknown>) =>
      (
        await testApp.app.inject({
          method: 'POST',
          url: '/v1/analyze',
          headers: { 'x-api-key': key },
          payload,
        })
      ).json() as { cached: boolean };
    // cache_ttl 0 = do not store: the same request is generated again.
    await ask({ prompt: 'Summarize the March invoice', cache_ttl: 0 });
    expect((await ask({ prompt: 'Summarize the March invoice', cache_ttl: 0 })).cached).toBe(false);
    // The nested option wins over the alias.
    await ask({ prompt: 'Summarize the April invoice', cache_ttl: 0, options: { cache_ttl: 600 } });
    expect((await ask({ prompt: 'Summarize the April invoice' })).cached).toBe(true);
  });

  it('puts X-Response-Time on every answer, errors included', async () => {
    const testApp = await buildTestApp();
    const { key } = await testApp.createKey();
    for (const request of [
      { method: 'GET' as const, url: '/v1/health' },
      { method: 'GET' as const, url: '/v1/api-keys/me', headers: { 'x-api-key': key } },
      { method: 'GET' as const, url: '/v1/api-keys/me' },
      { method: 'GET' as const, url: '/v1/no-such-route' },
    ]) {
      const response = await testApp.app.inject(request);
      expect(response.headers['x-response-time'], request.url).toMatch(/^\d+\.\d{2}ms$/);
    }
  });

  it('compresses large answers for clients that accept br or gzip, and only for them', async () => {
    const testApp = await buildTestApp();
    const plain = await testApp.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const spec = plain.json();
    const br = await testApp.app.inject({
      method: 'GET',
      url: '/openapi.json',
      headers: { 'accept-encoding': 'br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(spec);
    const gzip = await testApp.app.inject({
      method: 'GET',
      url: '/openapi.json',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString('utf8'))).toEqual(spec);
    expect(gzip.rawPayload.length).toBeLessThan(plain.rawPayload.length);
  });
});
