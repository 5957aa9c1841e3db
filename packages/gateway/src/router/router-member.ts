import type { Provider } from '../spec/provider.ts';
import type { ProviderSettings } from '../spec/provider-settings.ts';
import type { ProviderCircuit } from './provider-circuit.ts';
import type { ProviderHealth } from './provider-health.ts';

/** A provider as the router tracks it: settings, live load, breaker and health. */
export interface RouterMember {
  provider: Provider;
  settings: ProviderSettings;
  /** Why the provider cannot be used at all (no key, not installed, disabled in config). */
  disabledReason?: string;
  inFlight: number;
  circuit: ProviderCircuit;
  health: ProviderHealth;
}

/** Usable right now: configured, healthy, breaker not open, below its concurrency limit. */
export function isAvailable(member: RouterMember): boolean {
  return (
    member.disabledReason === undefined &&
    !member.health.isDisabled() &&
    member.circuit.canAttempt() &&
    member.inFlight < member.settings.maxConcurrency
  );
}
