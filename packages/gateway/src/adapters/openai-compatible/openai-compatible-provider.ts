import type { OpenAICompatibleProvider } from '@ai-sdk/openai-compatible';
import { loadOnFirstUse } from '../../lib/load-on-first-use.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import type { FetchFunction } from '../../transport/index.ts';
import { AiSdkProvider } from '../ai-sdk/ai-sdk-provider.ts';
import { factoryOptions } from '../ai-sdk/factory-options.ts';
import { openAiDialect } from '../openai/openai-dialect.ts';

const compatibleSdk = loadOnFirstUse<typeof import('@ai-sdk/openai-compatible')>(
  '@ai-sdk/openai-compatible',
  import.meta.url,
);

/**
 * Any server speaking OpenAI chat completions (vLLM, Ollama, LM Studio, llama.cpp's server, Groq,
 * Together …) through `@ai-sdk/openai-compatible` (ADR 0028). Strict `json_schema` when the schema
 * fits the strict subset and the server supports structured outputs; otherwise `json_object`, with
 * the schema in the instructions. No key is sent when none is configured (local servers need none).
 */
export function createOpenAiCompatibleProvider(
  settings: ProviderSettings,
  fetch: FetchFunction,
): AiSdkProvider {
  const baseURL = settings.baseUrl;
  if (!baseURL) throw new Error(`provider ${settings.name}: an OpenAI-compatible provider needs baseUrl`);
  const { apiKey: _placeholder, ...shared } = factoryOptions(settings, fetch);
  let compatible: OpenAICompatibleProvider | undefined;
  const sdk = () =>
    (compatible ??= compatibleSdk().createOpenAICompatible({
      ...shared,
      name: settings.name,
      baseURL,
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
      supportsStructuredOutputs: settings.structuredOutputs,
    }));
  return new AiSdkProvider(
    settings,
    (modelId) => sdk().chatModel(modelId),
    openAiDialect({
      providerOptionsKey: settings.name,
      logprobs: false,
      structuredOutputs: settings.structuredOutputs,
    }),
  );
}
