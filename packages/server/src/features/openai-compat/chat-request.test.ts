import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error.ts';
import { chatAsAnalyze, conversationPrompt, resolveModel } from './chat-request.ts';
import { toOpenAiError } from './openai-errors.ts';

const catalog = [
  { provider: 'openai', models: ['gpt-4o-mini', 'gpt-4o'] },
  { provider: 'heuristic', models: ['heuristic-v1'] },
];

describe('resolveModel', () => {
  it('maps auto, provider/model, a provider name and a served model onto the router’s choice', () => {
    expect(resolveModel('auto', catalog)).toEqual({});
    expect(resolveModel('openai/gpt-4o', catalog)).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(resolveModel('heuristic', catalog)).toEqual({ provider: 'heuristic' });
    expect(resolveModel('gpt-4o-mini', catalog)).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('refuses a model nobody serves with a 404 that names the model parameter', () => {
    const error = (() => {
      try {
        resolveModel('claude-opus', catalog);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(404);
    expect((error as AppError).extensions).toMatchObject({ openai_param: 'model' });
  });
});

describe('conversationPrompt', () => {
  it('keeps a lone user message as it is', () => {
    expect(conversationPrompt([{ role: 'user', content: 'Hello' }])).toBe('Hello');
  });

  it('labels each turn of a longer conversation, text parts joined', () => {
    const prompt = conversationPrompt([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi ' },
          { type: 'text', text: 'there' },
        ],
      },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: 'Again' },
    ]);
    expect(prompt).toBe('Instructions: Be brief.\n\nUser: Hi there\n\nAssistant: Hello.\n\nUser: Again');
  });
});

describe('chatAsAnalyze', () => {
  it('turns json_schema into the schema (named), and max_completion_tokens over max_tokens', () => {
    const chat = chatAsAnalyze(
      {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
        max_tokens: 10,
        max_completion_tokens: 20,
        temperature: 0,
        response_format: { type: 'json_schema', json_schema: { name: 'thing', schema: { type: 'object' } } },
      },
      catalog,
    );
    expect(chat.body).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o',
      max_tokens: 20,
      temperature: 0,
      schema: { title: 'thing', type: 'object' },
    });
    expect(chat.content({ a: 1 })).toBe('{"a":1}');
  });

  it('unwraps a text reply', () => {
    const chat = chatAsAnalyze({ model: 'auto', messages: [{ role: 'user', content: 'x' }] }, catalog);
    expect(chat.content({ content: 'hi' })).toBe('hi');
  });
});

describe('toOpenAiError', () => {
  it('names the offending field as OpenAI’s param and keeps the request id', () => {
    const shaped = toOpenAiError({
      status: 400,
      detail: 'bad',
      code: 'validation_error',
      request_id: 'r1',
      errors: [{ path: '/body/messages/0/role', message: 'is invalid' }],
    });
    expect(shaped.error).toMatchObject({
      message: 'bad',
      type: 'invalid_request_error',
      param: 'messages[0].role',
      code: 'validation_error',
      request_id: 'r1',
    });
    expect(toOpenAiError({ status: 429 }).error.type).toBe('rate_limit_error');
  });
});
