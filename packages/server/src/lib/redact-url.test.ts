import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.ts';

describe('redactUrl', () => {
  it('censors the values of credential query parameters and keeps the others as sent', () => {
    const secret = `sp_${'a1'.repeat(32)}`;
    const redacted = redactUrl(`/v1/api-keys/me?limit=5&api_key=${secret}&cursor=abc%20d`);
    expect(redacted).not.toContain(secret);
    expect(redacted).toBe('/v1/api-keys/me?limit=5&api_key=[redacted]&cursor=abc%20d');
  });

  it('recognizes credential names whatever their case or encoding', () => {
    for (const name of [
      'API_KEY',
      'apiKey',
      'api-key',
      'key',
      'Token',
      'access_token',
      'password',
      'api%5Fkey',
    ]) {
      expect(redactUrl(`/x?${name}=hunter2value`), name).not.toContain('hunter2value');
    }
  });

  it('censors userinfo in absolute URLs and keeps host, path and fragment', () => {
    expect(redactUrl('postgres://sps:s3cret@db.internal:5432/sps?sslmode=require')).toBe(
      'postgres://[redacted]@db.internal:5432/sps?sslmode=require',
    );
    expect(redactUrl('https://user@example.com/a?token=t0k#frag')).toBe(
      'https://[redacted]@example.com/a?token=[redacted]#frag',
    );
  });

  it('leaves URLs without credentials unchanged, malformed escapes included', () => {
    for (const url of ['/v1/health', '/v1/x?monkey=1&keys=2', '/x?%E0%A4%A=1', 'https://example.com/@user']) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});
