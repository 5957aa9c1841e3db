import { describe, expect, it } from 'vitest';
import {
  type ChatCompletionsRequest,
  chatCompletionsBody,
  finishReasonOf,
  JsonFragments,
  MalformedCompletionError,
  readChatCompletion,
} from './chat-completions-wire.ts';

/** The body as the server receives it. */
function bodyText(request: ChatCompletionsRequest, fragments: JsonFragments): string {
  const chunks = chatCompletionsBody(request, fragments);
  return Buffer.concat(
    chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)),
  ).toString('utf8');
}

describe('chat-completions wire format', () => {
  it('leaves out what the caller did not set, and the system message when it is empty', () => {
    const text = bodyText(
      {
        model: 'm',
        system: '',
        messages: [
          { role: 'user', content: 'hi "there"\n' },
          { role: 'assistant', content: '{}' },
        ],
        responseFormat: { type: 'json_object' },
      },
      new JsonFragments(),
    );
    expect(JSON.parse(text)).toEqual({
      model: 'm',
      messages: [
        { role: 'user', content: 'hi "there"\n' },
        { role: 'assistant', content: '{}' },
      ],
      response_format: { type: 'json_object' },
    });
  });

  it('serializes the constant parts once and gives the same text as plain JSON', () => {
    const fragments = new JsonFragments(2);
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const request = {
      model: 'm',
      system: 'Answer in JSON.',
      messages: [{ role: 'user' as const, content: 'x' }],
      temperature: 0,
      maxTokens: 10,
      responseFormat: { type: 'json_schema' as const, name: 'n', schema },
    };
    const expected = JSON.stringify({
      model: 'm',
      messages: [
        { role: 'system', content: 'Answer in JSON.' },
        { role: 'user', content: 'x' },
      ],
      temperature: 0,
      max_tokens: 10,
      response_format: { type: 'json_schema', json_schema: { name: 'n', schema, strict: true } },
    });
    expect(bodyText(request, fragments)).toBe(expected);
    // A second call is served from the fragments: same bytes, and the very same shared buffers.
    expect(bodyText(request, fragments)).toBe(expected);
    const [, systemFirst, , formatFirst] = chatCompletionsBody(request, fragments);
    const [, systemAgain, , formatAgain] = chatCompletionsBody(request, fragments);
    expect(systemAgain).toBe(systemFirst);
    expect(formatAgain).toBe(formatFirst);
    // The memo is bounded: more distinct system prompts than its size still serialize correctly.
    for (const system of ['one', 'two', 'three', 'Answer in JSON.', 'ünïcødé "quoted"\n']) {
      expect(JSON.parse(bodyText({ ...request, system }, fragments)).messages[0].content).toBe(system);
    }
  });

  it('reads a refusal (null content) as empty text and ignores nonsense usage', () => {
    const answer = readChatCompletion({
      model: '',
      choices: [{ message: { content: null, refusal: 'no' }, finish_reason: 'content_filter' }],
      usage: { prompt_tokens: -3, completion_tokens: 'many' },
    });
    expect(answer).toEqual({
      text: '',
      model: undefined,
      usage: { promptTokens: 0, completionTokens: 0 },
      finishReason: 'content_filter',
    });
  });

  it('refuses bodies that are not chat completions', () => {
    for (const body of [
      null,
      'text',
      { choices: 'x' },
      { choices: [null] },
      { choices: [{ text: 'legacy' }] },
    ]) {
      expect(() => readChatCompletion(body)).toThrow(MalformedCompletionError);
    }
  });

  it('maps finish reasons, old function_call included; unknown ones are "other"', () => {
    expect(
      ['stop', 'length', 'content_filter', 'tool_calls', 'function_call', 'eos', null].map(finishReasonOf),
    ).toEqual(['stop', 'length', 'content_filter', 'tool_calls', 'tool_calls', 'other', 'other']);
  });
});
