import type { GoogleGenerativeAIProvider } from '@ai-sdk/google';
import { loadOnFirstUse } from '../../lib/load-on-first-use.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import type { FetchFunction } from '../../transport/index.ts';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { factoryOptions } from '../ai-sdk/factory-options.ts';
import { geminiDialect } from './gemini-dialect.ts';

/** Google Gemini (`generateContent`) through `@ai-sdk/google`. `baseUrl` includes `/v1beta`. */
const googleSdk = loadOnFirstUse<typeof import('@ai-sdk/google')>('@ai-sdk/google', import.meta.url);

export function createGeminiProvider(settings: ProviderSettings, fetch: FetchFunction): AiSdkProvider {
  let google: GoogleGenerativeAIProvider | undefined;
  const sdk = () => (google ??= googleSdk().createGoogleGenerativeAI(factoryOptions(settings, fetch)));
  return new AiSdkProvider(settings, (modelId) => sdk().languageModel(modelId), geminiDialect);
}
