import { createAnthropicProvider } from './adapters/anthropic/anthropic-provider.ts';
import { createGeminiProvider } from './adapters/gemini/gemini-provider.ts';
import { HeuristicProvider } from './adapters/heuristic/heuristic-provider.ts';
import { LocalProvider } from './adapters/local/local-provider.ts';
import {
  defaultRuntimeDirectory,
  isRuntimeInstalled,
  loadRuntime,
  notInstalledReason,
} from './adapters/local/node-llama-cpp-runtime.ts';
import { createOpenAiProvider } from './adapters/openai/openai-provider.ts';
import { createOpenAiCompatibleProvider } from './adapters/openai-compatible/openai-compatible-provider.ts';
import { PriceTable } from './pricing/price-table.ts';
import {
  ProviderRouter,
  type RouterConfig,
  type RouterDependencies,
  type RouterProvider,
} from './router/provider-router.ts';
import { defaultModels, type ProvidersConfig, resolveProviderSettings } from './settings/resolve-settings.ts';
import type { GenerateResult, Provider } from './spec/provider.ts';
import type { ProviderSettings } from './spec/provider-settings.ts';
import type { LanguageDetector } from './text/language-detector.ts';
import { createProviderTransport, type FetchFunction, type TransportOptions } from './transport/index.ts';

export interface GatewayConfig {
  providers: ProvidersConfig;
  router: RouterConfig;
  /** Proxy, extra certificate authorities and connection limits for calls to vendors. */
  transport?: TransportOptions;
}

export interface GatewayOptions extends RouterDependencies {
  /** The offline analyzer appended as the last fallback; default `new HeuristicProvider()`, `false` for none. */
  heuristic?: Provider | false;
  /** Where packages/local-llm lives (tests point it elsewhere to simulate "not installed"). */
  localRuntimeDirectory?: string;
  /** Handed to the default offline analyzer, so the process loads one language model. */
  languageDetector?: LanguageDetector;
}

/**
 * Builds every configured provider and the router over them. Providers that cannot run (no key,
 * runtime not installed) are still listed, disabled with the reason, so the status route shows
 * them. Construction makes no network calls and loads no model: the local model loads on first use.
 * The gateway owns the connections to vendors (one transport for every cloud provider) and closes
 * them in `close()`.
 */
export function createProviderGateway(config: GatewayConfig, options: GatewayOptions = {}): ProviderRouter {
  const transport = createProviderTransport(config.transport);
  const members: RouterProvider[] = resolveProviderSettings(config.providers).map(
    ({ settings, disabledReason }) => {
      if (disabledReason !== undefined) return { provider: placeholder(settings), settings, disabledReason };
      if (settings.kind === 'local') {
        const directory = options.localRuntimeDirectory ?? defaultRuntimeDirectory;
        if (!isRuntimeInstalled(directory))
          return { provider: placeholder(settings), settings, disabledReason: notInstalledReason };
        return {
          provider: new LocalProvider(settings, { loadRuntime: () => loadRuntime(directory) }),
          settings,
        };
      }
      return { provider: createCloudProvider(settings, transport.fetch), settings };
    },
  );
  const heuristic =
    options.heuristic === undefined
      ? new HeuristicProvider({ languageDetector: options.languageDetector })
      : options.heuristic;
  if (heuristic) {
    members.push({
      provider: heuristic,
      settings: {
        name: heuristic.name,
        kind: 'heuristic',
        enabled: true,
        models: [...heuristic.models],
        defaultModel: heuristic.defaultModel,
        timeoutMs: 10_000,
        priority: Number.MAX_SAFE_INTEGER,
        maxConcurrency: 10_000,
        structuredOutputs: true,
      },
    });
  }
  const prices = new PriceTable(config.providers.pricing ?? {});
  return new ProviderRouter(members, config.router, prices, options, [transport]);
}

function createCloudProvider(settings: ProviderSettings, fetch: FetchFunction): Provider {
  switch (settings.kind) {
    case 'openai':
      return createOpenAiProvider(settings, fetch);
    case 'anthropic':
      return createAnthropicProvider(settings, fetch);
    case 'gemini':
      return createGeminiProvider(settings, fetch);
    case 'openai-compatible':
      return createOpenAiCompatibleProvider(settings, fetch);
    default:
      throw new Error(`provider ${settings.name}: kind ${settings.kind} is not a cloud provider`);
  }
}

/** Stands in for a provider that cannot run; the router never calls it (it is disabled). */
function placeholder(settings: ProviderSettings): Provider {
  return {
    name: settings.name,
    kind: settings.kind,
    defaultModel: settings.defaultModel || defaultModels[settings.kind],
    models: settings.models,
    generate(): Promise<GenerateResult> {
      return Promise.reject(new Error(`provider ${settings.name} is disabled`));
    },
  };
}
