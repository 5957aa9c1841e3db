import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { hstsValue, isDocumentUrl } from './security.ts';

/** A CSP header as its set of directives, so the check does not depend on how they are joined. */
function directives(header: string | string[] | number | undefined): string[] {
  return String(header)
    .split(';')
    .map((directive) => directive.trim())
    .filter(Boolean)
    .sort();
}

const apiCsp = ["default-src 'none'", "frame-ancestors 'none'"];
/** Headers helmet sets only for documents; API answers must not carry them. */
const documentOnly = [
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

describe('security headers', () => {
  it("on the HTML docs pages are helmet's full set, with a CSP for the docs", async () => {
    const { app } = await buildTestApp({ env: { TRUST_PROXY: 'true' } });
    const pages = ['/docs/', '/docs', '/docs/static/swagger-ui.css', '/redoc', '/redoc/redoc.standalone.js'];
    for (const url of pages) {
      const response = await app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } });
      expect(response.statusCode, url).toBeLessThan(400);
      expect(response.headers, url).toMatchObject({
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'origin-agent-cluster': '?1',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': hstsValue,
        'x-content-type-options': 'nosniff',
        'x-dns-prefetch-control': 'off',
        'x-download-options': 'noopen',
        'x-frame-options': 'SAMEORIGIN',
        'x-permitted-cross-domain-policies': 'none',
        'x-xss-protection': '0',
      });
      const policy = directives(response.headers['content-security-policy']);
      expect(policy, url).toEqual(expect.arrayContaining(["script-src 'self'", "frame-ancestors 'none'"]));
      const plain = await app.inject({ method: 'GET', url });
      expect(plain.headers['strict-transport-security'], url).toBeUndefined();
      expect(directives(plain.headers['content-security-policy']), url).toEqual(policy);
    }
  });

  it('sends HSTS only over TLS: never on plain HTTP, and a forwarded https only from a trusted proxy', async () => {
    const trusting = (await buildTestApp({ env: { TRUST_PROXY: 'true' } })).app;
    const viaProxy = await trusting.inject({
      method: 'GET',
      url: '/v1/health/live',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(viaProxy.headers['strict-transport-security']).toBe(hstsValue);
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
  });

  it('on API answers, errors included, are the short set: no sniffing, no framing, no loading', async () => {
    const { app } = await buildTestApp();
    for (const url of ['/', '/v1/nothing', '/openapi.json', '/v1/health/live', '/docsearch']) {
      const response = await app.inject({ method: 'GET', url });
      expect(directives(response.headers['content-security-policy']), url).toEqual(apiCsp);
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['x-frame-options'], url).toBe('DENY');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['cross-origin-resource-policy'], url).toBe('same-origin');
      for (const name of documentOnly) expect(response.headers[name], `${url} ${name}`).toBeUndefined();
    }
    const unauthenticated = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      payload: { prompt: 'x' },
    });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['x-content-type-options']).toBe('nosniff');
    expect(directives(unauthenticated.headers['content-security-policy'])).toEqual(apiCsp);
  });

  it('tells document URLs from API URLs by path segment, not by prefix alone', () => {
    expect(isDocumentUrl('/docs')).toBe(true);
    expect(isDocumentUrl('/docs/static/index.css')).toBe(true);
    expect(isDocumentUrl('/redoc?x=1')).toBe(true);
    expect(isDocumentUrl('/docsearch')).toBe(false);
    expect(isDocumentUrl('/v1/docs')).toBe(false);
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
