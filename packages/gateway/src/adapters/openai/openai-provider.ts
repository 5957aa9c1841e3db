import type { OpenAIProvider } from '@ai-sdk/openai';
import { loadOnFirstUse } from '../../lib/load-on-first-use.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { providerFetch } from '../ai-sdk/provider-fetch.ts';
import { openAiDialect } from './openai-dialect.ts';

/** OpenAI through `@ai-sdk/openai`'s chat-completions model (structured outputs, logprobs). */
const openAiSdk = loadOnFirstUse<typeof import('@ai-sdk/openai')>('@ai-sdk/openai', import.meta.url);

export function createOpenAiProvider(settings: ProviderSettings): AiSdkProvider {
  let openai: OpenAIProvider | undefined;
  const sdk = () =>
    (openai ??= openAiSdk().createOpenAI({
      fetch: providerFetch,
      // An empty key would make the SDK fall back to reading OPENAI_API_KEY itself; config owns that.
      apiKey: settings.apiKey ?? 'missing',
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    }));
  return new AiSdkProvider(
    settings,
    (modelId) => sdk().chat(modelId),
    openAiDialect({ providerOptionsKey: 'openai', logprobs: true, structuredOutputs: true }),
  );
}
