import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { openAiCompletion } from '@structured-prompt/gateway/testing';
import { generateObject, generateText, jsonSchema } from 'ai';
import { describe, expect, it } from 'vitest';
import { listeningAppWithFakeOpenAi, personSchema } from '../../../test/support/openai-compat-app.ts';

/** The Vercel AI SDK's OpenAI-compatible provider, configured with nothing but our base URL and key. */
function aiSdkClient(baseURL: string, apiKey: string) {
  return createOpenAICompatible({
    name: 'structured-prompt',
    baseURL,
    apiKey,
    supportsStructuredOutputs: true,
  });
}

describe('the Vercel AI SDK as a client of /v1/chat/completions', () => {
  it('gets a validated object from generateObject, re-asked server-side after an invalid first answer', async () => {
    const { baseURL, key, fake, calls } = await listeningAppWithFakeOpenAi();
    fake.script(openAiCompletion('{"name": "Ada"}'));
    const provider = aiSdkClient(baseURL, key);
    const { object } = await generateObject({
      model: provider('gpt-4o-mini'),
      schema: jsonSchema<{ name: string; age: number }>(personSchema),
      prompt: 'Ada Lovelace was 36.',
      maxRetries: 0,
    });
    expect(object).toEqual({ name: 'Ada', age: 36 });
    expect(calls()).toBe(2);
  });

  it('gets plain text from generateText', async () => {
    const { baseURL, key } = await listeningAppWithFakeOpenAi(() =>
      openAiCompletion('{"content": "Bonjour le monde"}'),
    );
    const { text, usage } = await generateText({
      model: aiSdkClient(baseURL, key)('auto'),
      prompt: 'Say hello world in French',
      maxRetries: 0,
    });
    expect(text).toBe('Bonjour le monde');
    expect(usage.inputTokens).toBe(100);
  });
});
