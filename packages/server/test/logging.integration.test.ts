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
