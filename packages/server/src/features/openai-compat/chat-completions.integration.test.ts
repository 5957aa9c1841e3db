import { openAiCompletion } from '@structured-prompt/gateway/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { listeningAppWithFakeOpenAi, personSchema } from '../../../test/support/openai-compat-app.ts';

const personFormat = {
  type: 'json_schema',
  json_schema: { name: 'person', schema: personSchema, strict: true },
} as const;

describe('POST /v1/chat/completions through the official openai client', () => {
  it('answers a strict json_schema request with content that validates, and our extras in headers', async () => {
    const { client, fake } = await listeningAppWithFakeOpenAi();
    const { data, response } = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Extract the person.' },
          { role: 'user', content: 'Ada Lovelace was 36.' },
        ],
        response_format: personFormat,
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(JSON.parse(data.choices[0]!.message.content!)).toEqual({ name: 'Ada', age: 36 });
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });
    expect(response.headers.get('x-provider')).toBe('openai');
    expect(response.headers.get('x-cache')).toBe('miss');
    expect(response.headers.get('x-request-id')).toBe(data.id.replace(/^chatcmpl-/, ''));
    const sent = JSON.stringify(fake.requests[0]!.body);
    expect(sent).toContain('Extract the person.');
    expect(sent).toContain('"strict":true');
  });

  it('re-asks server-side when the provider first answers invalid JSON, returning a validated object', async () => {
    const { client, fake, calls } = await listeningAppWithFakeOpenAi();
    fake.script(openAiCompletion('{"name": "Ada", "age": "thirty-six"'));
    const completion = await client.chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'Ada Lovelace was 36.' }],
      response_format: personFormat,
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ name: 'Ada', age: 36 });
    expect(calls()).toBe(2);
  });

  it('answers the same request from the cache the second time', async () => {
    const { client, calls } = await listeningAppWithFakeOpenAi();
    const request = {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'Ada Lovelace was 36.' }],
      response_format: personFormat,
    };
    await client.chat.completions.create(request);
    const { response } = await client.chat.completions.create(request).withResponse();
    expect(response.headers.get('x-cache')).toBe('hit');
    expect(calls()).toBe(1);
  });

  it('proxies a text answer as plain content and guarantees an object for json_object', async () => {
    const { client, fake } = await listeningAppWithFakeOpenAi();
    fake.script(openAiCompletion('{"content": "Bonjour le monde"}'));
    const text = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello world in French' }],
    });
    expect(text.choices[0]!.message.content).toBe('Bonjour le monde');
    fake.script(openAiCompletion('Sure! ```json\n{"greeting": "hi",}\n```'));
    const json = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Greet me in JSON' }],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(json.choices[0]!.message.content!)).toEqual({ greeting: 'hi' });
  });

  it('lists the models in OpenAI’s format', async () => {
    const { client } = await listeningAppWithFakeOpenAi();
    const ids = [];
    for await (const model of client.models.list()) ids.push(`${model.id}:${model.owned_by}`);
    expect(ids).toContain('auto:router');
    expect(ids).toContain('gpt-4o-mini:openai');
  });
});

describe('errors in OpenAI’s shape', () => {
  it('422 with our validation errors when no attempt validates', async () => {
    const { client, calls } = await listeningAppWithFakeOpenAi(() => openAiCompletion('{"name": 7}'));
    const failure = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Ada' }],
        response_format: personFormat,
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    const { error } = failure as InstanceType<typeof OpenAI.UnprocessableEntityError>;
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'output_validation_failed' });
    expect(JSON.stringify((error as { errors?: unknown }).errors)).toContain('/name');
    expect(calls()).toBeGreaterThan(1);
  });

  it('401 for a wrong key, 404 for an unknown model, 400 naming an unsupported field', async () => {
    const { client, baseURL } = await listeningAppWithFakeOpenAi();
    const stranger = new OpenAI({ baseURL, apiKey: 'sp_not_a_key', maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'hi' }];
    await expect(stranger.chat.completions.create({ model: 'auto', messages })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    const unknown = await client.chat.completions
      .create({ model: 'no-such-model', messages })
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.APIError>).code).toBe('model_not_found');
    expect((unknown as InstanceType<typeof OpenAI.APIError>).param).toBe('model');
    const tools = [{ type: 'function' as const, function: { name: 'f', parameters: {} } }];
    const refused = await client.chat.completions
      .create({ model: 'auto', messages, tools })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).param).toBe('tools');
  });

  it('429 over the key’s hourly limit, read by the client as a RateLimitError with Retry-After', async () => {
    const { baseURL, createKey } = await listeningAppWithFakeOpenAi();
    const { key } = await createKey({ rate_limit_per_hour: 1 });
    const limited = new OpenAI({ baseURL, apiKey: key, maxRetries: 0 });
    const request = {
      model: 'auto',
      messages: [{ role: 'user' as const, content: 'Ada Lovelace was 36.' }],
      response_format: personFormat,
    };
    await limited.chat.completions.create(request);
    const refused = await limited.chat.completions.create(request).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const { headers, error } = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(headers.get('retry-after')).toMatch(/^\d+$/);
    expect(error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
  });
});
