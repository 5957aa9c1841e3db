import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testRequest, testSettings, testTransport } from '../../../test/adapter-test-support.ts';
import { FakeVendorServer } from '../../../test/fake-vendor-server.ts';
import { geminiContent, geminiError } from '../../../test/vendor-replies.ts';
import type { ProviderError } from '../../spec/provider-error.ts';
import { createGeminiProvider } from './gemini-provider.ts';

let fake: FakeVendorServer;
beforeEach(async () => {
  fake = await FakeVendorServer.start(() => geminiContent('{"intent":"book","language":"en"}'));
});
afterEach(() => fake.close());
const transport = testTransport();

const provider = () =>
  createGeminiProvider(
    testSettings({
      kind: 'gemini',
      apiKey: 'AIza-test',
      baseUrl: `${fake.url}/v1beta`,
      defaultModel: 'gemini-2.5-flash',
    }),
    transport.fetch,
  );
const options = () => ({ signal: AbortSignal.timeout(10_000) });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as ProviderError,
  );

describe('Gemini adapter against a fake generateContent server', () => {
  it('sends a JSON response schema in generationConfig and returns the text', async () => {
    const result = await provider().generate(testRequest({ temperature: 0 }), options());
    expect(result).toMatchObject({
      text: '{"intent":"book","language":"en"}',
      usage: { promptTokens: 80, completionTokens: 15 },
      finishReason: 'stop',
    });
    expect(result.warnings).toEqual([expect.stringContaining('maxLength')]);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe('AIza-test');
    expect(sent.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'Extract the intent.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Book a table for two' }] }],
      generationConfig: {
        temperature: 0,
        responseMimeType: 'application/json',
        responseSchema: {
          type: 'object',
          properties: {
            intent: { type: 'string' },
            language: { type: 'string', enum: ['en', 'de'] },
            note: { type: 'string' },
          },
          required: ['intent', 'language'],
        },
      },
    });
  });

  it('inlines references before sending', async () => {
    await provider().generate(
      testRequest({
        schema: {
          type: 'object',
          $defs: { city: { type: 'string', description: 'a city' } },
          properties: { from: { $ref: '#/$defs/city' } },
        },
      }),
      options(),
    );
    const config = (fake.requests[0]!.body as { generationConfig: { responseSchema: unknown } })
      .generationConfig;
    expect(config.responseSchema).toEqual({
      type: 'object',
      properties: { from: { type: 'string', description: 'a city' } },
    });
  });

  it('reads the retry delay from the RetryInfo of a 429 body and maps 503', async () => {
    fake.script(
      geminiError(429, 'Resource has been exhausted', '12s'),
      geminiError(503, 'The model is overloaded.'),
    );
    expect(await failure(provider().generate(testRequest(), options()))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 12_000,
    });
    expect(await failure(provider().generate(testRequest(), options()))).toMatchObject({
      kind: 'server_error',
      statusCode: 503,
    });
  });

  it('maps a safety stop to content_filter', async () => {
    fake.script(geminiContent('', { finishReason: 'SAFETY' }));
    expect((await provider().generate(testRequest(), options())).finishReason).toBe('content_filter');
  });
});
