import type { OpenAIProvider } from '@ai-sdk/openai';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { loadSdk } from '../ai-sdk/load-sdk.ts';
import { providerFetch } from '../ai-sdk/provider-fetch.ts';
import type { ProviderSettings } from '../registry/provider-settings.ts';
import { openAiDialect } from './openai-dialect.ts';

/** OpenAI through `@ai-sdk/openai`'s chat-completions model (structured outputs, logprobs). */
export function createOpenAiProvider(settings: ProviderSettings): AiSdkProvider {
  let openai: OpenAIProvider | undefined;
  const sdk = () =>
    (openai ??= loadSdk<typeof import('@ai-sdk/openai')>('@ai-sdk/openai').createOpenAI({
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
