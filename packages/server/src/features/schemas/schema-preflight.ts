import type { TargetPreflight } from '@structured-prompt/contracts';
import { compileSchema, type JsonSchema, type ProviderKind } from '@structured-prompt/gateway';

type Target = 'openai' | 'anthropic' | 'gemini' | 'local';

/** The schema target each provider kind compiles for; the offline analyzer needs no compilation. */
const targetOf: Record<ProviderKind, Target | undefined> = {
  openai: 'openai',
  'openai-compatible': 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
  local: 'local',
  heuristic: undefined,
};

/** The configured providers, as the gateway lists them. */
export interface ProviderList {
  listProviderStatus(): Array<{ name: string; kind: ProviderKind; enabled: boolean }>;
}

/**
 * Compiles a schema for every target the configured providers use, as each adapter will at call
 * time, so a user learns at registration which constraints a target drops and where it falls back
 * to JSON mode — not at the first failed call.
 */
export function preflight(schema: JsonSchema, providers: ProviderList): TargetPreflight[] {
  const byTarget = new Map<Target, string[]>();
  for (const provider of providers.listProviderStatus()) {
    const target = targetOf[provider.kind];
    if (!provider.enabled || target === undefined) continue;
    byTarget.set(target, [...(byTarget.get(target) ?? []), provider.name]);
  }
  return [...byTarget].map(([target, names]) => compileFor(schema, target, names));
}

function compileFor(schema: JsonSchema, target: Target, providers: string[]): TargetPreflight {
  try {
    const compiled = compileSchema(schema, target);
    return { target, providers, compiles: true, mode: compiled.mode, warnings: [...compiled.warnings] };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      target,
      providers,
      compiles: false,
      mode: null,
      warnings: [`${target}: does not compile: ${reason}`],
    };
  }
}
