import { basename } from 'node:path';
import type { ProviderKind } from '../spec/provider.ts';
import type { ProviderSettings } from '../spec/provider-settings.ts';

/** The `providers` config section as this module reads it (see config/providers-section.ts). */
export interface ProvidersConfig {
  entries?: ReadonlyArray<Partial<ProviderSettings> & { name: string; kind: ProviderKind }>;
  openaiApiKey?: string;
  openaiBaseUrl?: string;
  anthropicApiKey?: string;
  anthropicBaseUrl?: string;
  geminiApiKey?: string;
  geminiBaseUrl?: string;
  openaiCompatibleBaseUrl?: string;
  openaiCompatibleApiKey?: string;
  openaiCompatibleModel?: string;
  localModelPath?: string;
  pricing?: Readonly<Record<string, { inputPer1k: number; outputPer1k: number }>>;
}

/** A configured provider and, when it cannot run, why (shown by GET /v1/analyze/providers). */
export interface ResolvedProvider {
  settings: ProviderSettings;
  disabledReason?: string;
}

export const defaultModels: Record<ProviderKind, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  gemini: 'gemini-2.5-flash',
  'openai-compatible': 'llama3.1',
  local: 'local',
  heuristic: 'heuristic-v1',
};

/**
 * Merges config-file entries with the environment shortcuts: a shortcut adds a provider of that
 * name, or fills the secret/base URL of a file entry with the same name (structure in the file,
 * secrets in the environment). The heuristic provider is not listed here: the registry always adds it.
 */
export function resolveProviderSettings(config: ProvidersConfig): ResolvedProvider[] {
  const entries = new Map<string, Partial<ProviderSettings> & { name: string; kind: ProviderKind }>();
  for (const entry of config.entries ?? [])
    if (entry.kind !== 'heuristic') entries.set(entry.name, { ...entry });
  const shortcut = (name: string, kind: ProviderKind, values: Partial<ProviderSettings>) => {
    const defined = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
    if (Object.keys(defined).length === 0) return;
    const existing = entries.get(name);
    if (existing) {
      for (const [key, value] of Object.entries(defined)) {
        if ((existing as Record<string, unknown>)[key] === undefined)
          (existing as Record<string, unknown>)[key] = value;
      }
    } else if (values.apiKey !== undefined || kind === 'openai-compatible' || kind === 'local') {
      entries.set(name, { name, kind, ...defined });
    }
  };
  shortcut('openai', 'openai', { apiKey: config.openaiApiKey, baseUrl: config.openaiBaseUrl });
  shortcut('anthropic', 'anthropic', { apiKey: config.anthropicApiKey, baseUrl: config.anthropicBaseUrl });
  shortcut('gemini', 'gemini', { apiKey: config.geminiApiKey, baseUrl: config.geminiBaseUrl });
  if (config.openaiCompatibleBaseUrl || entries.has('openai-compatible')) {
    shortcut('openai-compatible', 'openai-compatible', {
      baseUrl: config.openaiCompatibleBaseUrl,
      apiKey: config.openaiCompatibleApiKey,
      defaultModel: config.openaiCompatibleModel,
    });
  }
  shortcut('local', 'local', { modelPath: config.localModelPath });
  return [...entries.values()].map(withDefaults);
}

function withDefaults(
  entry: Partial<ProviderSettings> & { name: string; kind: ProviderKind },
): ResolvedProvider {
  const models = entry.models ?? [];
  const fallbackModel =
    entry.kind === 'local' && entry.modelPath
      ? basename(entry.modelPath, '.gguf')
      : defaultModels[entry.kind];
  const defaultModel = entry.defaultModel ?? models[0] ?? fallbackModel;
  const settings: ProviderSettings = {
    enabled: true,
    timeoutMs: entry.kind === 'local' ? 120_000 : 30_000,
    priority: 100,
    maxConcurrency: entry.kind === 'local' ? 1 : 64,
    structuredOutputs: true,
    ...entry,
    models: models.length > 0 ? models : [defaultModel],
    defaultModel,
  };
  const needsKey = entry.kind === 'openai' || entry.kind === 'anthropic' || entry.kind === 'gemini';
  let disabledReason: string | undefined;
  if (!settings.enabled) disabledReason = 'disabled in config';
  else if (needsKey && !settings.apiKey) disabledReason = 'no API key configured';
  else if (entry.kind === 'openai-compatible' && !settings.baseUrl) disabledReason = 'no base URL configured';
  else if (entry.kind === 'local' && !settings.modelPath) disabledReason = 'no model path configured';
  return disabledReason ? { settings: { ...settings, enabled: false }, disabledReason } : { settings };
}
