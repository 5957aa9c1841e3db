import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  intentSchema,
  providerFailure,
  testRequest,
  testSettings,
  testTransport,
} from '../../../test/adapter-test-support.ts';
import { FakeVendorServer } from '../../../test/fake-vendor-server.ts';
import { openAiCompletion, openAiError } from '../../../test/vendor-replies.ts';
import { createOpenAiProvider } from './openai-provider.ts';

let fake: FakeVendorServer;
beforeEach(async () => {
  fake = await FakeVendorServer.start(() =>
    openAiCompletion('{"intent":"book","language":"en","note":null}'),
  );
});
afterEach(() => fake.close());
const transport = testTransport();

const provider = () =>
  createOpenAiProvider(
    testSettings({
      kind: 'openai',
      apiKey: 'sk-test-key',
      baseUrl: `${fake.url}/v1`,
      defaultModel: 'gpt-4o-mini',
    }),
    transport.fetch,
  );
const signal = () => AbortSignal.timeout(10_000);

describe('OpenAI adapter against a fake chat-completions server', () => {
  it('sends a strict json_schema response format and returns the raw answer without optional nulls', async () => {
    const result = await provider().generate(testRequest({ temperature: 0.2, maxTokens: 300 }), {
      signal: signal(),
    });
    expect(result).toMatchObject({
      text: '{"intent":"book","language":"en"}',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { promptTokens: 100, completionTokens: 20 },
      finishReason: 'stop',
    });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-test-key');
    expect(sent.body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      max_tokens: 300,
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
    expect(result.warnings).toEqual([expect.stringContaining('/properties/intent: "maxLength"')]);
  });

  it('falls back to json_object with the schema in the instructions when strict mode cannot express it', async () => {
    fake.script(openAiCompletion('{"a":"b"}'));
    await provider().generate(
      testRequest({ schema: { type: 'object', additionalProperties: { type: 'string' } } }),
      {
        signal: signal(),
      },
    );
    const body = fake.requests[0]!.body as { response_format: unknown; messages: Array<{ content: string }> };
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[0]!.content).toContain('JSON Schema');
  });

  it('reports mean token probability from logprobs', async () => {
    fake.script(
      openAiCompletion('{"intent":"x","language":"de"}', { logprobs: [Math.log(0.5), Math.log(1)] }),
    );
    const result = await provider().generate(testRequest(), { signal: signal() });
    expect(result.tokenProbability).toBeCloseTo(0.75, 6);
    expect((fake.requests[0]!.body as { logprobs?: boolean }).logprobs).toBe(true);
  });

  it('returns malformed JSON content as is for the lenient parser', async () => {
    fake.script(openAiCompletion('```json\n{"intent": "book",}\n```'));
    const result = await provider().generate(testRequest(), { signal: signal() });
    expect(result.text).toBe('```json\n{"intent": "book",}\n```');
  });

  it('maps 429 with Retry-After to a retryable rate_limited error', async () => {
    fake.script(openAiError(429, 'Rate limit reached', { 'retry-after': '7' }));
    const error = await providerFailure(provider().generate(testRequest(), { signal: signal() }));
    expect(error).toMatchObject({
      kind: 'rate_limited',
      isRetryable: true,
      statusCode: 429,
      retryAfterMs: 7000,
    });
    expect(error.message).toContain('Rate limit reached');
  });

  it('maps 500 to server_error and 400 to a non-retryable bad_request', async () => {
    fake.script(openAiError(500, 'boom'), openAiError(400, "Invalid schema for response_format 'intent'"));
    expect(await providerFailure(provider().generate(testRequest(), { signal: signal() }))).toMatchObject({
      kind: 'server_error',
      isRetryable: true,
    });
    expect(await providerFailure(provider().generate(testRequest(), { signal: signal() }))).toMatchObject({
      kind: 'bad_request',
      isRetryable: false,
      statusCode: 400,
    });
  });

  it('redacts key-like strings that a vendor echoes in its error', async () => {
    fake.script(openAiError(401, 'Incorrect API key provided: sk-test-key-1234567890'));
    const error = await providerFailure(provider().generate(testRequest(), { signal: signal() }));
    expect(error.kind).toBe('authentication');
    expect(error.message).not.toContain('1234567890');
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

  it('maps an unparseable body to malformed_response and a refused connection to connection', async () => {
    fake.script({ body: '<html>bad gateway</html>' });
    expect((await providerFailure(provider().generate(testRequest(), { signal: signal() }))).kind).toBe(
      'malformed_response',
    );
    const closed = createOpenAiProvider(
      testSettings({ kind: 'openai', apiKey: 'k', baseUrl: 'http://127.0.0.1:9/v1' }),
      transport.fetch,
    );
    expect(await providerFailure(closed.generate(testRequest(), { signal: signal() }))).toMatchObject({
      kind: 'connection',
      isRetryable: true,
    });
  });

  it('uses the canonical schema name and the pinned model', async () => {
    await provider().generate(testRequest({ model: 'gpt-4.1', schemaName: 'default schema@2' }), {
      signal: signal(),
    });
    expect(fake.requests[0]!.body).toMatchObject({
      model: 'gpt-4.1',
      response_format: { json_schema: { name: 'default_schema_2' } },
    });
    expect(intentSchema.required).toEqual(['intent', 'language']);
  });

  it('removes the nulls it added inside a union branch, and sends draft-04 bounds as numbers', async () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      properties: {
        price: { type: 'number', minimum: 0, exclusiveMinimum: true },
        contact: {
          anyOf: [
            {
              type: 'object',
              properties: { email: { type: 'string' }, name: { type: 'string' } },
              required: ['email'],
            },
            {
              type: 'object',
              properties: { phone: { type: 'string' }, name: { type: 'string' } },
              required: ['phone'],
            },
          ],
        },
      },
      required: ['price', 'contact'],
    };
    fake.script(openAiCompletion('{"price":5,"contact":{"phone":"+1 555","name":null}}'));
    const result = await provider().generate(testRequest({ schema }), { signal: signal() });
    expect(JSON.parse(result.text)).toEqual({ price: 5, contact: { phone: '+1 555' } });
    const sent = fake.requests[0]!.body as {
      response_format: { json_schema: { schema: { properties: object } } };
    };
    expect(sent.response_format.json_schema.schema.properties).toMatchObject({
      price: { type: 'number', exclusiveMinimum: 0 },
    });
  });
});
