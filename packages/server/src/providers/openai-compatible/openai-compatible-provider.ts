import type { OpenAICompatibleProvider } from '@ai-sdk/openai-compatible';
import { loadOnFirstUse } from '../../lib/load-on-first-use.ts';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { providerFetch } from '../ai-sdk/provider-fetch.ts';
import { openAiDialect } from '../openai/openai-dialect.ts';
import type { ProviderSettings } from '../registry/provider-settings.ts';

const compatibleSdk = loadOnFirstUse<typeof import('@ai-sdk/openai-compatible')>('@ai-sdk/openai-compatible');

/**
 * Any server speaking OpenAI chat completions (Ollama, vLLM, LM Studio, Groq, Together …) through
 * `@ai-sdk/openai-compatible`. Servers without `json_schema` support get `structuredOutputs: false`
 * in config and are asked for plain JSON with the schema in the instructions.
 */
export function createOpenAiCompatibleProvider(settings: ProviderSettings): AiSdkProvider {
  const baseURL = settings.baseUrl;
  if (!baseURL) throw new Error(`provider ${settings.name}: an OpenAI-compatible provider needs baseUrl`);
  // The SDK reads per-call options under the provider's name; keep it a plain identifier.
  const providerOptionsKey = settings.name.replace(/[^a-zA-Z0-9]/g, '');
  let compatible: OpenAICompatibleProvider | undefined;
  const sdk = () =>
    (compatible ??= compatibleSdk().createOpenAICompatible({
      fetch: providerFetch,
      name: providerOptionsKey,
      baseURL,
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
      includeUsage: true,
      supportsStructuredOutputs: settings.structuredOutputs,
    }));
  return new AiSdkProvider(
    settings,
    (modelId) => sdk().chatModel(modelId),
    openAiDialect({ providerOptionsKey, logprobs: false, structuredOutputs: settings.structuredOutputs }),
  );
}
