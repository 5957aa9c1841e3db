import type { OpenAIProvider } from '@ai-sdk/openai';
import { loadOnFirstUse } from '../../lib/load-on-first-use.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import type { FetchFunction } from '../../transport/index.ts';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { factoryOptions } from '../ai-sdk/factory-options.ts';
import { openAiDialect } from './openai-dialect.ts';

/** OpenAI through `@ai-sdk/openai`'s chat-completions model (structured outputs, logprobs). */
const openAiSdk = loadOnFirstUse<typeof import('@ai-sdk/openai')>('@ai-sdk/openai', import.meta.url);

export function createOpenAiProvider(settings: ProviderSettings, fetch: FetchFunction): AiSdkProvider {
  let openai: OpenAIProvider | undefined;
  const sdk = () => (openai ??= openAiSdk().createOpenAI(factoryOptions(settings, fetch)));
  return new AiSdkProvider(
    settings,
    (modelId) => sdk().chat(modelId),
    openAiDialect({ providerOptionsKey: 'openai', logprobs: true, structuredOutputs: true }),
  );
}
