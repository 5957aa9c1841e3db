import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { apiSecurityHeaders, isDocumentUrl, securityHeaders } from './security.ts';

describe('security headers', () => {
  it('on the HTML docs pages are the ones helmet sets', async () => {
    const expected = securityHeaders();
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining([
        'content-security-policy',
        'x-content-type-options',
        'strict-transport-security',
        'x-frame-options',
      ]),
    );
    const { app } = await buildTestApp({ env: { TRUST_PROXY: 'true' } });
    for (const url of ['/docs/', '/docs', '/redoc']) {
      const response = await app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } });
      for (const [name, value] of Object.entries(expected))
        expect(response.headers[name], `${url} ${name}`).toBe(value);
      const plain = await app.inject({ method: 'GET', url });
      expect(plain.headers['strict-transport-security'], url).toBeUndefined();
      expect(plain.headers['content-security-policy'], url).toBe(expected['content-security-policy']);
    }
  });

  it('sends HSTS only over TLS: never on plain HTTP, and a forwarded https only from a trusted proxy', async () => {
    const trusting = (await buildTestApp({ env: { TRUST_PROXY: 'true' } })).app;
    const viaProxy = await trusting.inject({
      method: 'GET',
      url: '/v1/health/live',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(viaProxy.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const plain = await trusting.inject({ method: 'GET', url: '/v1/health/live' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(plain.headers['x-content-type-options']).toBe('nosniff');

    const direct = (await buildTestApp()).app;
    const spoofed = await direct.inject({
      method: 'GET',
      url: '/v1/health/live',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    expect(Object.keys(apiSecurityHeaders(false))).not.toContain('strict-transport-security');
    expect(apiSecurityHeaders(true)['strict-transport-security']).toBe(
      securityHeaders()['strict-transport-security'],
    );
  });

  it('on API answers, errors included, are the short set: no sniffing, no framing, no loading', async () => {
    const { app } = await buildTestApp();
    const documentOnly = ['cross-origin-opener-policy', 'origin-agent-cluster', 'x-xss-protection'];
    for (const url of ['/', '/v1/nothing', '/openapi.json', '/v1/health/live', '/docsearch']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['content-security-policy'], url).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['x-frame-options'], url).toBe('DENY');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      for (const name of documentOnly) expect(response.headers[name], `${url} ${name}`).toBeUndefined();
    }
    const unauthenticated = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      payload: { prompt: 'x' },
    });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['x-content-type-options']).toBe('nosniff');
    expect(unauthenticated.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it('tells document URLs from API URLs by path segment, not by prefix alone', () => {
    expect(isDocumentUrl('/docs')).toBe(true);
    expect(isDocumentUrl('/docs/static/index.css')).toBe(true);
    expect(isDocumentUrl('/redoc?x=1')).toBe(true);
    expect(isDocumentUrl('/docsearch')).toBe(false);
    expect(isDocumentUrl('/v1/docs')).toBe(false);
    expect(Object.keys(apiSecurityHeaders())).not.toContain('x-xss-protection');
  });

  it('answers CORS preflights only for configured origins', async () => {
    const { app } = await buildTestApp({ env: { CORS_ORIGINS: 'https://app.example' } });
    const allowed = await app.inject({
      method: 'OPTIONS',
      url: '/v1/analyze',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await app.inject({
      method: 'OPTIONS',
      url: '/v1/analyze',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
