import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  providerFailure,
  testRequest,
  testSettings,
  testTransport,
} from '../../../test/adapter-test-support.ts';
import { FakeVendorServer } from '../../../test/fake-vendor-server.ts';
import { openAiCompletion, openAiError } from '../../../test/vendor-replies.ts';
import { createOpenAiCompatibleProvider } from './openai-compatible-provider.ts';

let fake: FakeVendorServer;
beforeEach(async () => {
  fake = await FakeVendorServer.start(() =>
    openAiCompletion('{"intent":"book","language":"en"}', { model: 'llama3.1:8b' }),
  );
});
afterEach(() => fake.close());
const transport = testTransport();

const settings = (overrides = {}) =>
  testSettings({
    kind: 'openai-compatible',
    name: 'ollama',
    baseUrl: `${fake.url}/v1`,
    defaultModel: 'llama3.1:8b',
    ...overrides,
  });
const provider = (overrides = {}) => createOpenAiCompatibleProvider(settings(overrides), transport.fetch);
const signal = () => AbortSignal.timeout(10_000);

describe('OpenAI-compatible adapter against a fake chat-completions server', () => {
  it('sends strict json_schema, no key header when none is configured, and returns the answer', async () => {
    const result = await provider().generate(testRequest({ temperature: 0.1, maxTokens: 200 }), {
      signal: signal(),
    });
    expect(result).toMatchObject({
      text: '{"intent":"book","language":"en"}',
      model: 'llama3.1:8b',
      usage: { promptTokens: 100, completionTokens: 20 },
      finishReason: 'stop',
    });
    expect(result.warnings).toEqual([expect.stringContaining('/properties/intent: "maxLength"')]);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['user-agent']).toMatch(/^structured-prompt-service\//);
    expect(sent.body).toEqual({
      model: 'llama3.1:8b',
      temperature: 0.1,
      max_tokens: 200,
      messages: [
        { role: 'system', content: 'Extract the intent.' },
        { role: 'user', content: 'Book a table for two' },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'intent',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              intent: { type: 'string' },
              language: { type: 'string', enum: ['en', 'de'] },
              note: { type: ['string', 'null'] },
            },
            required: ['intent', 'language', 'note'],
            additionalProperties: false,
          },
        },
      },
    });
  });

  it('removes the nulls strict mode makes the model send for optional properties', async () => {
    fake.script(openAiCompletion('{"intent":"book","language":"en","note":null}'));
    const result = await provider().generate(testRequest(), { signal: signal() });
    expect(result.text).toBe('{"intent":"book","language":"en"}');
  });

  it('asks only for JSON, with the schema in the instructions, when the server has no structured outputs', async () => {
    await provider({ structuredOutputs: false, apiKey: 'gsk_test_key' }).generate(testRequest(), {
      signal: signal(),
    });
    const sent = fake.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer gsk_test_key');
    const body = sent.body as { response_format: unknown; messages: Array<{ content: string }> };
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[0]!.content).toContain('JSON Schema');
    expect(body.messages[0]!.content).toContain('"intent"');
  });

  it('falls back to json_object when strict mode cannot express the schema', async () => {
    fake.script(openAiCompletion('{"a":"b"}'));
    const result = await provider().generate(
      testRequest({ schema: { type: 'object', additionalProperties: { type: 'string' } } }),
      { signal: signal() },
    );
    expect((fake.requests[0]!.body as { response_format: unknown }).response_format).toEqual({
      type: 'json_object',
    });
    expect(result.text).toBe('{"a":"b"}');
    expect(result.warnings.join(' ')).toContain('JSON mode');
  });

  it('returns malformed JSON content as is for the lenient parser, and joins content parts', async () => {
    fake.script(openAiCompletion('```json\n{"intent": "book",}\n```'), {
      body: {
        id: 'x',
        object: 'chat.completion',
        model: 'm',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: [
                { type: 'text', text: '{"intent":' },
                { type: 'text', text: '"x"}' },
              ],
            },
            finish_reason: 'length',
          },
        ],
      },
    });
    expect((await provider().generate(testRequest(), { signal: signal() })).text).toBe(
      '```json\n{"intent": "book",}\n```',
    );
    const parts = await provider().generate(testRequest(), { signal: signal() });
    expect(parts).toMatchObject({
      text: '{"intent":"x"}',
      finishReason: 'length',
      usage: { promptTokens: 0, completionTokens: 0 },
    });
  });

  it('maps a 503 with Retry-After and a 429 with retry-after-ms to retryable errors', async () => {
    fake.script(
      openAiError(503, 'model is loading', { 'retry-after': '1' }),
      openAiError(429, 'Rate limit reached', { 'retry-after-ms': '250' }),
    );
    expect(await providerFailure(provider().generate(testRequest(), { signal: signal() }))).toMatchObject({
      kind: 'server_error',
      retryAfterMs: 1000,
      provider: 'ollama',
      isRetryable: true,
    });
    const limited = await providerFailure(provider().generate(testRequest(), { signal: signal() }));
    expect(limited).toMatchObject({ kind: 'rate_limited', statusCode: 429, retryAfterMs: 250 });
    expect(limited.message).toContain('Rate limit reached');
  });

  it('maps 400 to a non-retryable bad_request and 401 to authentication, redacting echoed keys', async () => {
    fake.script(
      openAiError(400, 'response_format is not supported'),
      openAiError(401, 'Incorrect API key provided: gsk_live_1234567890abcdef'),
    );
    expect(await providerFailure(provider().generate(testRequest(), { signal: signal() }))).toMatchObject({
      kind: 'bad_request',
      isRetryable: false,
      statusCode: 400,
    });
    const denied = await providerFailure(provider().generate(testRequest(), { signal: signal() }));
    expect(denied.kind).toBe('authentication');
    expect(denied.message).not.toContain('1234567890');
  });

  it('turns a hung server into a timeout and closes the connection', async () => {
    fake.script({ hang: true });
    const error = await providerFailure(
      provider().generate(testRequest(), { signal: AbortSignal.timeout(200) }),
    );
    expect(error).toMatchObject({ kind: 'timeout', isRetryable: true });
    await fake.whenClientAborts();
    expect(fake.requests[0]!.abortedByClient).toBe(true);
  });

  it('maps a 2xx that is not a chat completion to malformed_response, a refused connection to connection', async () => {
    fake.script({ body: '<html>bad gateway</html>' }, { body: { choices: [] } }, { body: { id: 'x' } });
    for (const reason of ['Invalid JSON response', 'did not contain any choices', 'Invalid JSON response']) {
      const error = await providerFailure(provider().generate(testRequest(), { signal: signal() }));
      expect(error).toMatchObject({ kind: 'malformed_response', isRetryable: false });
      expect(error.message).toContain(reason);
    }
    const closed = createOpenAiCompatibleProvider(
      settings({ baseUrl: 'http://127.0.0.1:9/v1' }),
      transport.fetch,
    );
    expect(await providerFailure(closed.generate(testRequest(), { signal: signal() }))).toMatchObject({
      kind: 'connection',
      isRetryable: true,
    });
  });

  it('uses a safe schema name, the pinned model, a configured meta-prompt and a base URL with a slash', async () => {
    await provider({ baseUrl: `${fake.url}/v1/`, metaPrompt: 'Answer in JSON only.' }).generate(
      testRequest({ model: 'qwen2.5:7b', schemaName: 'default schema@2' }),
      { signal: signal() },
    );
    expect(fake.requests[0]!.path).toBe('/v1/chat/completions');
    expect(fake.requests[0]!.body).toMatchObject({
      model: 'qwen2.5:7b',
      messages: [{ role: 'system', content: 'Answer in JSON only.' }, { role: 'user' }],
      response_format: { json_schema: { name: 'default_schema_2' } },
    });
  });
});
