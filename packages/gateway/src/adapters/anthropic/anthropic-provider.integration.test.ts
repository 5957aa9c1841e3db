import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  intentSchema,
  testRequest,
  testSettings,
  testTransport,
} from '../../../test/adapter-test-support.ts';
import { FakeVendorServer } from '../../../test/fake-vendor-server.ts';
import { anthropicError, anthropicText, anthropicToolUse } from '../../../test/vendor-replies.ts';
import type { ProviderError } from '../../spec/provider-error.ts';
import { createAnthropicProvider } from './anthropic-provider.ts';

let fake: FakeVendorServer;
beforeEach(async () => {
  fake = await FakeVendorServer.start(() => anthropicToolUse('intent', { intent: 'book', language: 'en' }));
});
afterEach(() => fake.close());
const transport = testTransport();

const provider = () =>
  createAnthropicProvider(
    testSettings({
      kind: 'anthropic',
      apiKey: 'sk-ant-test',
      baseUrl: `${fake.url}/v1`,
      defaultModel: 'claude-haiku-4-5',
      maxTokens: 512,
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

describe('Anthropic adapter against a fake messages server', () => {
  it('forces the tool whose input schema is the canonical schema and returns the tool input', async () => {
    const result = await provider().generate(testRequest(), options());
    expect(result).toMatchObject({
      text: '{"intent":"book","language":"en"}',
      usage: { promptTokens: 120, completionTokens: 30 },
      finishReason: 'stop',
      warnings: [],
    });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-ant-test');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toMatchObject({
      model: 'claude-haiku-4-5',
      max_tokens: 512,
      system: [{ type: 'text', text: 'Extract the intent.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Book a table for two' }] }],
      tools: [{ name: 'intent', input_schema: { ...intentSchema } }],
      tool_choice: { type: 'tool', name: 'intent' },
    });
  });

  it('wraps and unwraps a top-level array schema', async () => {
    fake.script(anthropicToolUse('tags', { value: ['a', 'b'] }));
    const result = await provider().generate(
      testRequest({ schema: { type: 'array', items: { type: 'string' } }, schemaName: 'tags' }),
      options(),
    );
    expect(result.text).toBe('["a","b"]');
    expect(
      (fake.requests[0]!.body as { tools: Array<{ input_schema: unknown }> }).tools[0]!.input_schema,
    ).toMatchObject({
      type: 'object',
      required: ['value'],
    });
  });

  it('returns plain text when the model answered without the tool', async () => {
    fake.script(anthropicText('{"intent": "book", "language": "en"'));
    expect((await provider().generate(testRequest(), options())).text).toBe(
      '{"intent": "book", "language": "en"',
    );
  });

  it('maps 429 with retry-after, 529 overloaded and 400', async () => {
    fake.script(
      anthropicError(429, 'Number of request tokens has exceeded your per-minute rate limit', {
        'retry-after': '2',
      }),
      anthropicError(529, 'Overloaded'),
      anthropicError(400, 'tools.0.input_schema: JSON schema is invalid'),
    );
    expect(await failure(provider().generate(testRequest(), options()))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 2000,
    });
    expect(await failure(provider().generate(testRequest(), options()))).toMatchObject({
      kind: 'server_error',
      isRetryable: true,
    });
    expect(await failure(provider().generate(testRequest(), options()))).toMatchObject({
      kind: 'bad_request',
      isRetryable: false,
    });
  });

  it('times out on a slow server and the fake sees the connection closed', async () => {
    fake.script({ delayMs: 5000, ...anthropicToolUse('intent', {}) });
    const error = await failure(provider().generate(testRequest(), { signal: AbortSignal.timeout(150) }));
    expect(error.kind).toBe('timeout');
    await fake.whenClientAborts();
  });
});
