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

/** Output tokens a vendor call may produce when neither the request nor the provider sets a limit. */
const defaultOutputTokens = 1024;
/** Small local models answer slowly; their default is lower (and costs nothing). */
const defaultLocalOutputTokens = 512;

/**
 * The output-token limit a call is sent with, and the one its cost estimate assumes: the request's
 * `maxTokens`, else the provider's, else the default. Every adapter sends it, so an answer can never
 * cost more output than was reserved for it.
 */
export function outputTokenCap(request: { maxTokens?: number }, settings: ProviderSettings): number {
  const fallback = settings.kind === 'local' ? defaultLocalOutputTokens : defaultOutputTokens;
  return request.maxTokens ?? settings.maxTokens ?? fallback;
}
