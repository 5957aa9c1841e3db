import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeVendorServer } from '../../../test/fakes/fake-vendor-server.ts';
import { openAiCompletion, openAiError } from '../../../test/fakes/vendor-replies.ts';
import type { ProviderError } from '../provider-error.ts';
import { testRequest, testSettings } from '../test-support.ts';
import { createOpenAiCompatibleProvider } from './openai-compatible-provider.ts';

let fake: FakeVendorServer;
beforeEach(async () => {
  fake = await FakeVendorServer.start(() =>
    openAiCompletion('{"intent":"book","language":"en"}', { model: 'llama3.1:8b' }),
  );
});
afterEach(() => fake.close());

const settings = (overrides = {}) =>
  testSettings({
    kind: 'openai-compatible',
    name: 'ollama',
    baseUrl: `${fake.url}/v1`,
    defaultModel: 'llama3.1:8b',
    ...overrides,
  });

describe('OpenAI-compatible adapter against a fake server', () => {
  it('sends strict json_schema, no key header when none is configured, and returns the answer', async () => {
    const result = await createOpenAiCompatibleProvider(settings()).generate(testRequest(), {
      signal: AbortSignal.timeout(10_000),
    });
    expect(result).toMatchObject({ text: '{"intent":"book","language":"en"}', model: 'llama3.1:8b' });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({
      model: 'llama3.1:8b',
      response_format: {
        type: 'json_schema',
        json_schema: { strict: true, schema: { additionalProperties: false } },
      },
    });
  });

  it('asks only for JSON when the server does not support structured outputs', async () => {
    await createOpenAiCompatibleProvider(
      settings({ structuredOutputs: false, apiKey: 'gsk_test_key' }),
    ).generate(testRequest(), {
      signal: AbortSignal.timeout(10_000),
    });
    const sent = fake.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer gsk_test_key');
    expect((sent.body as { response_format: unknown }).response_format).toEqual({ type: 'json_object' });
    expect(JSON.stringify(sent.body)).toContain('JSON Schema');
  });

  it('maps a 503 with Retry-After', async () => {
    fake.script(openAiError(503, 'model is loading', { 'retry-after': '1' }));
    const error = await createOpenAiCompatibleProvider(settings())
      .generate(testRequest(), { signal: AbortSignal.timeout(10_000) })
      .catch((caught: unknown) => caught as ProviderError);
    expect(error).toMatchObject({ kind: 'server_error', retryAfterMs: 1000, provider: 'ollama' });
  });
});
