import { type CapturedRequest, openAiCompletion, openAiStream } from '@structured-prompt/gateway/testing';
import { describe, expect, it } from 'vitest';
import { appWithFakeOpenAi, validAnswer } from '../../../test/support/fake-openai-app.ts';
import { eventData, parseEvents } from '../../../test/support/server-sent-events.ts';

/** The fake streams when asked to (as OpenAI does with `stream: true`) and answers whole otherwise. */
const streamingWhenAsked = (text: string) => (request: CapturedRequest) =>
  (request.body as { stream?: boolean }).stream ? openAiStream(text, { pieces: 8 }) : openAiCompletion(text);

describe('POST /v1/analyze as server-sent events', () => {
  it('sends growing partial objects while the provider streams, then the validated final answer', async () => {
    const { app, key, fake } = await appWithFakeOpenAi(streamingWhenAsked(validAnswer));
    const response = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key, accept: 'text/event-stream' },
      payload: { prompt: 'Translate Hello World to French' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect((fake.requests[0]!.body as { stream?: boolean }).stream).toBe(true);
    const partials = eventData<{ attempt: number; data: Record<string, unknown> }>(response.body, 'partial');
    expect(partials.length).toBeGreaterThan(2);
    expect(partials.every((partial) => partial.attempt === 1)).toBe(true);
    const [final] = eventData(response.body, 'final');
    expect(final).toMatchObject({
      data: JSON.parse(validAnswer),
      validation: { status: 'passed', attempts: 1 },
    });
    expect(parseEvents(response.body).at(-1)!.event).toBe('final');
  });

  it('announces a re-ask with the errors when the first streamed answer is invalid, then validates', async () => {
    const { app, key, fake } = await appWithFakeOpenAi(streamingWhenAsked(validAnswer));
    fake.script(openAiStream('{"intent": "translate", "subject": 42', { pieces: 4 }));
    const response = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key },
      payload: { prompt: 'Translate Hello World to French', stream: true },
    });
    const attempts = eventData<{ attempt: number; errors: Array<{ path: string }> }>(
      response.body,
      'attempt',
    );
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.attempt).toBe(2);
    expect(attempts[0]!.errors.length).toBeGreaterThan(0);
    const secondCall = eventData<{ attempt: number }>(response.body, 'partial').filter(
      (p) => p.attempt === 2,
    );
    expect(secondCall.length).toBeGreaterThan(0);
    expect(eventData(response.body, 'final')[0]).toMatchObject({
      validation: { status: 'passed', attempts: 2 },
    });
  });

  it('ends with an error event carrying the problem document when nothing validates', async () => {
    const { app, key } = await appWithFakeOpenAi(streamingWhenAsked('{"intent": "dance"}'));
    const response = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key, accept: 'text/event-stream' },
      payload: { prompt: 'Translate Hello World to French', options: { max_repair_attempts: 0 } },
    });
    const [problem] = eventData(response.body, 'error');
    expect(problem).toMatchObject({
      status: 422,
      code: 'output_validation_failed',
      request_id: response.headers['x-request-id'],
    });
    expect(eventData(response.body, 'final')).toHaveLength(0);
  });

  it('still refuses a bad request with a problem document before any stream starts', async () => {
    const { app, key } = await appWithFakeOpenAi();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key, accept: 'text/event-stream' },
      payload: { prompt: 'x', stream: 'yes' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers whole when the body says "stream": false, whatever the Accept header', async () => {
    const { app, key } = await appWithFakeOpenAi();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key, accept: 'text/event-stream, application/json' },
      payload: { prompt: 'Translate Hello World to French', stream: false },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json().validation.status).toBe('passed');
  });
});
