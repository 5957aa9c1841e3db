import { openAiCompletion, type ReplyFactory } from '@structured-prompt/gateway/testing';
import OpenAI from 'openai';
import { appWithFakeOpenAi } from './fake-openai-app.ts';

/** A reply of a person schema the tests ask for. */
export const personSchema = {
  type: 'object' as const,
  properties: { name: { type: 'string' as const }, age: { type: 'integer' as const, minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
};

/**
 * The app listening on 127.0.0.1 in front of a fake OpenAI, and an official `openai` client pointed
 * at it with nothing changed but the base URL and the key (retries off, so every call is one request).
 */
export async function listeningAppWithFakeOpenAi(
  reply: ReplyFactory = () => openAiCompletion('{"name":"Ada","age":36}'),
) {
  const testApp = await appWithFakeOpenAi(reply);
  const address = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  const baseURL = `${address}/v1`;
  const client = new OpenAI({ baseURL, apiKey: testApp.key, maxRetries: 0 });
  return { ...testApp, baseURL, client };
}
