import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { type CapturedRequest, openAiCompletion, openAiStream } from '@structured-prompt/gateway/testing';
import { streamText } from 'ai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { listeningAppWithFakeOpenAi, personSchema } from '../../../test/support/openai-compat-app.ts';
import { RequestLogsRepository } from '../../platform/request-log/request-logs.repository.ts';

const reply = '{"content": "Bonjour le monde, comment allez-vous aujourd\'hui ?"}';
const personFormat = {
  type: 'json_schema',
  json_schema: { name: 'person', schema: personSchema, strict: true },
} as const;

/** The fake streams when asked to (`stream: true`, as the adapters send it) and answers whole otherwise. */
const streamingWhenAsked =
  (text: string, pieces = 8, intervalMs = 0) =>
  (request: CapturedRequest) =>
    (request.body as { stream?: boolean }).stream
      ? openAiStream(text, { pieces, intervalMs })
      : openAiCompletion(text);

describe('stream: true on /v1/chat/completions through the official openai client', () => {
  it('streams a text reply in pieces as the provider generates it, with usage in the last chunk', async () => {
    const { client } = await listeningAppWithFakeOpenAi(streamingWhenAsked(reply, 12));
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello in French' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      const piece = chunk.choices[0]?.delta.content;
      if (piece) pieces.push(piece);
    }
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe("Bonjour le monde, comment allez-vous aujourd'hui ?");
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBeDefined();
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20 });
  });

  it('sends a json_schema reply only once it validated, after a server-side re-ask', async () => {
    const { client, fake, calls } = await listeningAppWithFakeOpenAi(
      streamingWhenAsked('{"name":"Ada","age":36}'),
    );
    fake.script(openAiStream('{"name": "Ada", "age": "thirty-six"}', { pieces: 5 }));
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Ada Lovelace was 36.' }],
      response_format: personFormat,
    });
    const completion = await stream.finalChatCompletion();
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ name: 'Ada', age: 36 });
    expect(calls()).toBe(2);
  });

  it('ends with an error the client raises when no attempt validates', async () => {
    const { client } = await listeningAppWithFakeOpenAi(streamingWhenAsked('{"name": 7}'));
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Ada' }],
      response_format: personFormat,
      stream: true,
    });
    const failure = await (async () => {
      for await (const _chunk of stream) {
        // reading until the error chunk
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain('did not validate');
  });

  it('cancels the provider call when the client goes away mid-stream, and logs the request as cancelled', async () => {
    const { client, fake, infra, deps } = await listeningAppWithFakeOpenAi(
      streamingWhenAsked(reply, 200, 20),
    );
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], stream: true },
      { signal: controller.signal },
    );
    const reading = (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) controller.abort();
    })().catch(() => undefined);
    await reading;
    await fake.whenClientAborts();
    expect(fake.requests[0]!.abortedByClient).toBe(true);
    expect(fake.requests[0]!.eventsSent).toBeLessThan(200);
    await deps.services.logWriter.flush();
    const [log] = (await new RequestLogsRepository(infra.database).list({}, {})).items;
    expect(log!.errorMessage).toMatch(/^cancelled/);
  });
});

describe('the Vercel AI SDK streaming from /v1/chat/completions', () => {
  it('reads the text stream unchanged', async () => {
    const { baseURL, key } = await listeningAppWithFakeOpenAi(streamingWhenAsked(reply, 10));
    const provider = createOpenAICompatible({ name: 'structured-prompt', baseURL, apiKey: key });
    const result = streamText({
      model: provider('gpt-4o-mini'),
      prompt: 'Say hello in French',
      maxRetries: 0,
    });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe("Bonjour le monde, comment allez-vous aujourd'hui ?");
  });
});
