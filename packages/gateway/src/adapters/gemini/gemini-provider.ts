import type { GoogleGenerativeAIProvider } from '@ai-sdk/google';
import { loadOnFirstUse } from '../../lib/load-on-first-use.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { providerFetch } from '../ai-sdk/provider-fetch.ts';
import { geminiDialect } from './gemini-dialect.ts';

/** Google Gemini (`generateContent`) through `@ai-sdk/google`. `baseUrl` includes `/v1beta`. */
const googleSdk = loadOnFirstUse<typeof import('@ai-sdk/google')>('@ai-sdk/google', import.meta.url);

export function createGeminiProvider(settings: ProviderSettings): AiSdkProvider {
  let google: GoogleGenerativeAIProvider | undefined;
  const sdk = () =>
    (google ??= googleSdk().createGoogleGenerativeAI({
      fetch: providerFetch,
      apiKey: settings.apiKey ?? 'missing',
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    }));
  return new AiSdkProvider(settings, (modelId) => sdk().languageModel(modelId), geminiDialect);
}
