import { userAgent } from '../../lib/user-agent.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import type { FetchFunction } from '../../transport/index.ts';

/** What every AI SDK provider factory is given: the gateway's transport, the key, the base URL. */
export interface FactoryOptions {
  fetch: FetchFunction;
  apiKey: string;
  headers: Record<string, string>;
  baseURL?: string;
}

export function factoryOptions(settings: ProviderSettings, fetch: FetchFunction): FactoryOptions {
  return {
    fetch,
    // An empty key would make the SDK read OPENAI_API_KEY and the like itself; the config owns that.
    apiKey: settings.apiKey ?? 'missing',
    // The SDK appends its own name and version, so vendor logs show both.
    headers: { 'user-agent': userAgent },
    ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
  };
}
