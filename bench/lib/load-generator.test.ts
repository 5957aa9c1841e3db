import { describe, expect, it } from 'vitest';
import { requestMaker } from '../load-generator.ts';
import { chatCompletionBody, promptSlot } from './realistic-request.ts';

const job = (fields: Record<string, unknown>) => ({
  url: 'http://127.0.0.1:1/',
  connections: 1,
  durationSeconds: 1,
  headers: {},
  body: chatCompletionBody(),
  ...fields,
});

describe('requestMaker', () => {
  it('puts the prompts in turn where the slot is, escaped as JSON, and leaves the rest of the body alone', () => {
    const next = requestMaker(job({ prompts: ['un "deux"', 'drei'], promptSlot }))!;
    const first = JSON.parse(next({}).body!) as ReturnType<typeof chatCompletionBody>;
    const second = JSON.parse(next({}).body!) as ReturnType<typeof chatCompletionBody>;
    const messages = (body: ReturnType<typeof chatCompletionBody>) =>
      body.messages as Array<{ content: string }>;
    expect(messages(first)[1]?.content).toBe('drei');
    expect(messages(second)[1]?.content).toBe('un "deux"');
    expect(second.response_format).toEqual(chatCompletionBody().response_format);
  });

  it('makes every prompt unique with the prefix and a counter', () => {
    const next = requestMaker(job({ prompts: ['same'], promptSlot, distinctPrefix: 'run' }))!;
    const contents = [next({}), next({})].map(
      (request) =>
        (JSON.parse(request.body!) as { messages: Array<{ content: string }> }).messages[1]?.content,
    );
    expect(contents).toEqual(['run 1 same', 'run 2 same']);
  });

  it('sends the fixed body when no prompt changes', () => {
    expect(requestMaker(job({}))).toBeUndefined();
  });
});
