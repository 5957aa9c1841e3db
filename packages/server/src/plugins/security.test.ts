import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../test/support/build-app.ts';
import { securityHeaders } from './security.ts';

describe('security headers', () => {
  it('are the ones helmet sets, on every answer including errors', async () => {
    const expected = securityHeaders();
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining([
        'content-security-policy',
        'x-content-type-options',
        'strict-transport-security',
        'x-frame-options',
      ]),
    );
    const { app } = await buildTestApp();
    for (const url of ['/', '/v1/nothing', '/docs/']) {
      const response = await app.inject({ method: 'GET', url });
      for (const [name, value] of Object.entries(expected))
        expect(response.headers[name], `${url} ${name}`).toBe(value);
    }
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
