import type { AnthropicProvider } from '@ai-sdk/anthropic';
import { loadOnFirstUse } from '../../lib/load-on-first-use.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import type { FetchFunction } from '../../transport/index.ts';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { factoryOptions } from '../ai-sdk/factory-options.ts';
import { anthropicDialect } from './anthropic-dialect.ts';

/** Anthropic Messages API through `@ai-sdk/anthropic`. `baseUrl` includes the `/v1` segment. */
const anthropicSdk = loadOnFirstUse<typeof import('@ai-sdk/anthropic')>('@ai-sdk/anthropic', import.meta.url);

export function createAnthropicProvider(settings: ProviderSettings, fetch: FetchFunction): AiSdkProvider {
  let anthropic: AnthropicProvider | undefined;
  const sdk = () => (anthropic ??= anthropicSdk().createAnthropic(factoryOptions(settings, fetch)));
  return new AiSdkProvider(settings, (modelId) => sdk().messages(modelId), anthropicDialect);
}
