import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { providerFetch } from '../ai-sdk/provider-fetch.ts';
import type { ProviderSettings } from '../registry/provider-settings.ts';
import { geminiDialect } from './gemini-dialect.ts';

/** Google Gemini (`generateContent`) through `@ai-sdk/google`. `baseUrl` includes `/v1beta`. */
export function createGeminiProvider(settings: ProviderSettings): AiSdkProvider {
  const google = createGoogleGenerativeAI({
    fetch: providerFetch,
    apiKey: settings.apiKey ?? 'missing',
    ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
  });
  return new AiSdkProvider(settings, (modelId) => google.languageModel(modelId), geminiDialect);
}
