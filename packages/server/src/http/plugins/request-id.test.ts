import { describe, expect, it } from 'vitest';
import { buildTestApp, LogCapture } from '../../../test/support/build-app.ts';

const timeOfId = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('generates a time-ordered UUID (v7) when the caller sends none', async () => {
    const { app } = await buildTestApp();
    const before = Date.now();
    const first = await app.inject({ method: 'GET', url: '/' });
    const second = await app.inject({ method: 'GET', url: '/' });
    const after = Date.now();
    expect(first.headers['x-request-id']).toMatch(uuid);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    // It carries the time it was minted, so the request-log index grows at its right edge (ADR 0014).
    const minted = timeOfId(String(first.headers['x-request-id']));
    expect(minted).toBeGreaterThanOrEqual(before);
    expect(minted).toBeLessThanOrEqual(after);
  });

  it('echoes a well-formed incoming X-Request-ID', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'GET',
      url: '/',
      headers: { 'x-request-id': 'trace-42.abc:7' },
    });
    expect(response.headers['x-request-id']).toBe('trace-42.abc:7');
  });

  it.each([
    ['too long', 'a'.repeat(200)],
    ['spaces', 'has spaces'],
    ['header injection attempt', 'abc\\r\\nset-cookie: x'],
    ['leading punctuation', '-abc'],
  ])('replaces an ill-formed incoming id (%s)', async (_name, incoming) => {
    const { app } = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/', headers: { 'x-request-id': incoming } });
    expect(response.headers['x-request-id']).toMatch(uuid);
  });

  it('puts the request id on every log line of that request', async () => {
    const logs = new LogCapture();
    const { app } = await buildTestApp({ captureLogs: logs });
    await app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'req-log-check' } });
    const lines = logs.records().filter((record) => record.request_id === 'req-log-check');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const requestLines = logs.records().filter((record) => 'req' in record || 'res' in record);
    expect(requestLines.every((record) => typeof record.request_id === 'string')).toBe(true);
  });

  it('redacts API keys and authorization headers from logs', async () => {
    const logs = new LogCapture();
    const { app } = await buildTestApp({ captureLogs: logs });
    // A careless handler that logs all headers: the logger itself must censor the secrets.
    app.get('/test/log-headers', { config: { auth: 'public' } }, async (request) => {
      request.log.info({ headers: request.headers }, 'headers seen');
      return { ok: true };
    });
    const key = `sp_${'ab'.repeat(32)}`;
    await app.inject({
      method: 'GET',
      url: '/test/log-headers',
      headers: { 'x-api-key': key, authorization: `Bearer ${key}` },
    });
    const line = logs.records().find((record) => record.msg === 'headers seen') as {
      headers: Record<string, string>;
    };
    expect(line.headers['x-api-key']).toBe('[redacted]');
    expect(line.headers.authorization).toBe('[redacted]');
    expect(logs.text).not.toContain(key);
  });
});
