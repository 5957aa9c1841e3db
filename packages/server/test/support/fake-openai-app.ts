import { FakeVendorServer, openAiCompletion, type ReplyFactory } from '@structured-prompt/gateway/testing';
import { onTestFinished } from 'vitest';
import { buildTestApp } from './build-app.ts';

/** A default-schema answer the fake OpenAI gives unless a test scripts another. */
export const validAnswer = JSON.stringify({
  intent: 'translate',
  subject: 'Hello World',
  entities: [{ type: 'language', value: 'French' }],
  output_format: 'text',
  original_language: 'en',
});

/**
 * The app with OpenAI configured against a fake OpenAI server on 127.0.0.1 (never a live vendor),
 * a key with a generous hourly limit, and helpers to call analyze and count provider calls. The fake
 * is closed when the current test finishes.
 */
export async function appWithFakeOpenAi(
  reply: ReplyFactory = () => openAiCompletion(validAnswer),
  env: Record<string, string> = {},
) {
  const fake = await FakeVendorServer.start(reply);
  onTestFinished(() => fake.close());
  const testApp = await buildTestApp({
    env: { OPENAI_API_KEY: 'sk-test-not-a-real-key', OPENAI_BASE_URL: `${fake.url}/v1`, ...env },
  });
  const { key, id } = await testApp.createKey({ rate_limit_per_hour: 100_000 });
  const analyze = (payload: Record<string, unknown>, apiKey = key) =>
    testApp.app.inject({ method: 'POST', url: '/v1/analyze', headers: { 'x-api-key': apiKey }, payload });
  const calls = () => fake.requests.filter((request) => request.path.endsWith('/chat/completions')).length;
  return { ...testApp, fake, key, keyId: id, analyze, calls };
}
