import { FakeVendorServer, openAiCompletion } from '@structured-prompt/gateway/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, LogCapture } from './support/build-app.ts';

const fakes: FakeVendorServer[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

const answer = JSON.stringify({
  intent: 'question',
  subject: 'weather',
  entities: [],
  output_format: 'text',
  original_language: 'en',
});

describe('logs', () => {
  it('name the request, key id, route, status and duration, and never a key, provider secret or prompt', async () => {
    const providerSecret = 'sk-provider-secret-do-not-log-1234567890';
    const fake = await FakeVendorServer.start(() => openAiCompletion(answer));
    fakes.push(fake);
    const logs = new LogCapture();
    const { app, createKey, deps } = await buildTestApp({
      captureLogs: logs,
      env: { OPENAI_API_KEY: providerSecret, OPENAI_BASE_URL: `${fake.url}/v1`, LOG_LEVEL: 'info' },
    });
    const { key, id } = await createKey({ scopes: ['admin'] });
    const prompt = 'What is the weather like in Lisbon tomorrow? unique-prompt-marker';
    const analyzed = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key },
      payload: { prompt },
    });
    expect(analyzed.statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: { authorization: `Bearer ${key}` } });
    await app.inject({
      method: 'GET',
      url: '/v1/api-keys/me',
      headers: { 'x-api-key': `sp_${'f'.repeat(64)}` },
    });
    await deps.services.logWriter.flush();

    // The provider really received the secret, so the test would notice if it leaked.
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${providerSecret}`);
    expect(logs.text).not.toContain(providerSecret);
    expect(logs.text).not.toContain(key);
    expect(logs.text).not.toContain(key.slice(3));
    expect(logs.text).not.toContain('unique-prompt-marker');

    const completed = logs.records().filter((record) => record.msg === 'request completed');
    const analyzeLine = completed.find((record) => record.request_id === analyzed.headers['x-request-id']);
    expect(analyzeLine).toMatchObject({ api_key_id: id, route: '/v1/analyze', res: { statusCode: 200 } });
    expect(analyzeLine!.responseTime).toEqual(expect.any(Number));
    expect(completed.every((record) => typeof record.request_id === 'string')).toBe(true);
  });
});

describe('logged URLs', () => {
  it('never carry a key or token sent in the query string, at any level', async () => {
    const logs = new LogCapture();
    const { app, createKey } = await buildTestApp({ captureLogs: logs });
    const { key } = await createKey();
    const token = 'query-token-do-not-log-5678';
    const answers = [
      await app.inject({ method: 'GET', url: `/v1/api-keys/me?api_key=${key}&page=2` }),
      await app.inject({ method: 'GET', url: `/v1/no-such-route?token=${token}` }),
      await app.inject({ method: 'GET', url: `/v1/health?password=${token}&Key=${key}` }),
    ];
    const lines = logs
      .records()
      .filter((line) => answers.some((a) => a.headers['x-request-id'] === line.request_id));
    const incoming = lines.filter((line) => line.msg === 'incoming request');
    // The requests were logged with their URLs (debug), so a leak would show.
    expect(incoming.map((line) => (line.req as { url: string }).url)).toEqual([
      '/v1/api-keys/me?api_key=[redacted]&page=2',
      '/v1/no-such-route?token=[redacted]',
      '/v1/health?password=[redacted]&Key=[redacted]',
    ]);
    expect(logs.text).not.toContain(key.slice(3));
    expect(logs.text).not.toContain(token);
  });

  it('never carry credentials from a URL a logged error holds, at its top or nested', async () => {
    const logs = new LogCapture();
    const { app } = await buildTestApp({ captureLogs: logs });
    const secret = 'AIzaSy-provider-secret-in-url';
    app.get('/test/upstream-failure', { config: { auth: 'public' } }, async () => {
      throw Object.assign(new Error('call failed'), {
        url: `https://user:${secret}@proxy.example/`,
        request: { url: `https://generativelanguage.example/v1beta/models/m:generateContent?key=${secret}` },
      });
    });
    const answer = await app.inject({ method: 'GET', url: '/test/upstream-failure' });
    expect(answer.statusCode).toBe(500);
    const failure = logs.records().find((line) => line.msg === 'unhandled error') as {
      err: { url: string; request: { url: string } };
    };
    expect(failure.err.url).toBe('https://[redacted]@proxy.example/');
    expect(failure.err.request.url).toBe(
      'https://generativelanguage.example/v1beta/models/m:generateContent?key=[redacted]',
    );
    expect(logs.text).not.toContain(secret);
  });
});

describe('log levels', () => {
  type Line = Record<string, unknown>;
  const severe = new Set(['warn', 'error', 'fatal']);

  it('follow the outcome: info for success, warn with the problem code for a client error, error for a server error', async () => {
    const logs = new LogCapture();
    const { app, createKey } = await buildTestApp({ captureLogs: logs });
    app.get('/test/crash', { config: { auth: 'public' } }, async () => {
      throw new Error('simulated bug');
    });
    const { key } = await createKey();
    const answers = {
      success: await app.inject({ method: 'GET', url: '/v1/api-keys/me', headers: { 'x-api-key': key } }),
      unauthenticated: await app.inject({ method: 'GET', url: '/v1/api-keys/me' }),
      invalid: await app.inject({
        method: 'POST',
        url: '/v1/analyze',
        headers: { 'x-api-key': key },
        payload: { prompt: '' },
      }),
      unknownRoute: await app.inject({ method: 'GET', url: '/v1/nothing-here' }),
      bug: await app.inject({ method: 'GET', url: '/test/crash' }),
    };
    const linesOf = (answer: { headers: Record<string, unknown> }) =>
      logs.records().filter((line: Line) => line.request_id === answer.headers['x-request-id']);
    const completed = (answer: { headers: Record<string, unknown> }) =>
      linesOf(answer).find((line) => line.msg === 'request completed');

    expect(completed(answers.success)).toMatchObject({ level: 'info', res: { statusCode: 200 } });
    expect(completed(answers.success)).not.toHaveProperty('code');
    for (const [answer, status, code] of [
      [answers.unauthenticated, 401, 'unauthorized'],
      [answers.invalid, 400, 'validation_error'],
      [answers.unknownRoute, 404, 'not_found'],
    ] as const) {
      expect(completed(answer)).toMatchObject({ level: 'warn', code, res: { statusCode: status } });
      // One line per client error at warn or above: the completed line says it all.
      expect(linesOf(answer).filter((line) => severe.has(String(line.level)))).toHaveLength(1);
    }
    expect(completed(answers.bug)).toMatchObject({
      level: 'error',
      code: 'internal_error',
      res: { statusCode: 500 },
    });
    const cause = linesOf(answers.bug).find(
      (line) => line.msg !== 'request completed' && line.level === 'error',
    );
    expect(JSON.stringify(cause)).toContain('simulated bug');
  });

  it('keep a not-ready readiness probe below error, however often it is polled', async () => {
    const logs = new LogCapture();
    const { app } = await buildTestApp({ captureLogs: logs, notReady: true });
    const polls = [];
    for (let poll = 0; poll < 3; poll += 1)
      polls.push(await app.inject({ method: 'GET', url: '/v1/health/ready' }));
    for (const poll of polls) {
      expect(poll.statusCode).toBe(503);
      const lines = logs.records().filter((line: Line) => line.request_id === poll.headers['x-request-id']);
      expect(lines.filter((line) => severe.has(String(line.level)))).toEqual([]);
      expect(lines.find((line) => line.msg === 'request completed')).toMatchObject({
        level: 'info',
        code: 'service_unavailable',
      });
    }
  });
});
