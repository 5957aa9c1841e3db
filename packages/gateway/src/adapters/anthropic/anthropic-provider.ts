import type { AnthropicProvider } from '@ai-sdk/anthropic';
import { loadOnFirstUse } from '../../lib/load-on-first-use.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { providerFetch } from '../ai-sdk/provider-fetch.ts';
import { anthropicDialect } from './anthropic-dialect.ts';

/** Anthropic Messages API through `@ai-sdk/anthropic`. `baseUrl` includes the `/v1` segment. */
const anthropicSdk = loadOnFirstUse<typeof import('@ai-sdk/anthropic')>('@ai-sdk/anthropic', import.meta.url);

export function createAnthropicProvider(settings: ProviderSettings): AiSdkProvider {
  let anthropic: AnthropicProvider | undefined;
  const sdk = () =>
    (anthropic ??= anthropicSdk().createAnthropic({
      fetch: providerFetch,
      apiKey: settings.apiKey ?? 'missing',
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    }));
  return new AiSdkProvider(settings, (modelId) => sdk().messages(modelId), anthropicDialect);
}
