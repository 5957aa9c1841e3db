import type { ProviderKind } from './provider.ts';

/** One provider's resolved settings: a config-file entry or an environment shortcut, with defaults. */
export interface ProviderSettings {
  name: string;
  kind: ProviderKind;
  enabled: boolean;
  apiKey?: string;
  baseUrl?: string;
  models: string[];
  defaultModel: string;
  timeoutMs: number;
  temperature?: number;
  maxTokens?: number;
  /** Replaces the pipeline's meta-prompt for this provider (small local models want shorter ones). */
  metaPrompt?: string;
  priority: number;
  maxConcurrency: number;
  /** OpenAI-compatible servers: send strict `json_schema` (true) or only ask for JSON (false). */
  structuredOutputs: boolean;
  modelPath?: string;
  /** Local grammar caps. */
  maxStringLength?: number;
  maxArrayItems?: number;
  contextSize?: number;
}
