import type { AnthropicProvider } from '@ai-sdk/anthropic';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { loadSdk } from '../ai-sdk/load-sdk.ts';
import { providerFetch } from '../ai-sdk/provider-fetch.ts';
import type { ProviderSettings } from '../registry/provider-settings.ts';
import { anthropicDialect } from './anthropic-dialect.ts';

/** Anthropic Messages API through `@ai-sdk/anthropic`. `baseUrl` includes the `/v1` segment. */
export function createAnthropicProvider(settings: ProviderSettings): AiSdkProvider {
  let anthropic: AnthropicProvider | undefined;
  const sdk = () =>
    (anthropic ??= loadSdk<typeof import('@ai-sdk/anthropic')>('@ai-sdk/anthropic').createAnthropic({
      fetch: providerFetch,
      apiKey: settings.apiKey ?? 'missing',
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    }));
  return new AiSdkProvider(settings, (modelId) => sdk().messages(modelId), anthropicDialect);
}
