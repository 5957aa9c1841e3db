import { describe, expect, it } from 'vitest';
import {
  chatCompletionsBody,
  finishReasonOf,
  MalformedCompletionError,
  readChatCompletion,
} from './chat-completions-wire.ts';

describe('chat-completions wire format', () => {
  it('leaves out what the caller did not set, and the system message when it is empty', () => {
    expect(
      chatCompletionsBody({
        model: 'm',
        system: '',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: '{}' },
        ],
        responseFormat: { type: 'json_object' },
      }),
    ).toEqual({
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: '{}' },
      ],
      response_format: { type: 'json_object' },
    });
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
