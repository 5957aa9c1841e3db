import { describe, expect, it } from 'vitest';
import { parseErrorBody, parseRetryAfter, redactSecrets } from './parse-error-body.ts';

describe('parseRetryAfter', () => {
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(parseRetryAfter({ 'retry-after': '1.5' })).toBe(1500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('parseErrorBody', () => {
  it('reads OpenAI, Anthropic and Google error bodies', () => {
    expect(parseErrorBody('{"error":{"message":"bad","type":"invalid_request_error"}}')).toEqual({
      message: 'bad',
      type: 'invalid_request_error',
    });
    expect(
      parseErrorBody('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'),
    ).toEqual({
      message: 'Overloaded',
      type: 'overloaded_error',
    });
    expect(
      parseErrorBody(
        '{"error":{"code":429,"message":"exhausted","status":"RESOURCE_EXHAUSTED","details":[{"retryDelay":"2.5s"}]}}',
      ),
    ).toEqual({ message: 'exhausted', type: 'RESOURCE_EXHAUSTED', retryAfterMs: 2500 });
    expect(parseErrorBody('<html>502</html>')).toEqual({ message: '<html>502</html>' });
  });
});

describe('redactSecrets', () => {
  it('removes key-like strings and key parameters', () => {
    const redacted = redactSecrets(
      'Incorrect API key provided: sk-proj-abcdefghijklmnop. See https://x?key=AIzaSecret123',
    );
    expect(redacted).not.toContain('abcdefghijklmnop');
    expect(redacted).not.toContain('AIzaSecret123');
  });
});
