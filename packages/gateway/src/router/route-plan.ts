import type { PriceTable } from '../pricing/price-table.ts';
import { GatewayError } from '../spec/gateway-error.ts';
import { isAvailable, type RouterMember } from './router-member.ts';

export type RouterStrategy = 'least-busy' | 'cost' | 'latency' | 'priority';

export interface PlanOptions {
  strategy: RouterStrategy;
  fallbackOrder: readonly string[];
  prices: PriceTable;
  /** Pinned provider name (`auto` or undefined: the strategy decides). */
  provider?: string | undefined;
  model?: string | undefined;
}

/**
 * Configured order: names in `fallbackOrder` first (in that order), then the rest by `priority`
 * and name. The heuristic provider always goes last, whatever the configuration says.
 */
export function byConfiguredOrder(
  members: readonly RouterMember[],
  fallbackOrder: readonly string[],
): RouterMember[] {
  const rank = (member: RouterMember) => {
    const index = fallbackOrder.indexOf(member.settings.name);
    return index === -1 ? fallbackOrder.length : index;
  };
  return [...members].sort(
    (a, b) =>
      Number(a.settings.kind === 'heuristic') - Number(b.settings.kind === 'heuristic') ||
      rank(a) - rank(b) ||
      a.settings.priority - b.settings.priority ||
      a.settings.name.localeCompare(b.settings.name),
  );
}

/** Lower is better; ties keep the configured order. */
function score(member: RouterMember, options: PlanOptions): number {
  switch (options.strategy) {
    case 'least-busy':
      return member.inFlight;
    case 'cost': {
      const price = options.prices.priceOf(options.model ?? member.settings.defaultModel);
      // Unpriced models are self-hosted or local: they cost us nothing per token.
      return price ? price.inputPer1k + price.outputPer1k : 0;
    }
    case 'latency':
      // No samples yet: try it, or a new provider would never get the traffic to be measured.
      return member.health.latencyP95() ?? 0;
    case 'priority':
      return 0;
  }
}

/**
 * The providers to try for one request, in order: the strategy's pick among available providers,
 * then the other available ones in configured order (the fallback chain), then heuristic.
 * A pinned provider is tried alone; a pinned model limits the chain to providers serving it.
 */
export function planRoute(members: readonly RouterMember[], options: PlanOptions): RouterMember[] {
  if (options.provider && options.provider !== 'auto') {
    const pinned = members.find((member) => member.settings.name === options.provider);
    if (!pinned) {
      const known = members.map((member) => member.settings.name).join(', ');
      throw new GatewayError(
        'bad_request',
        `Unknown provider "${options.provider}". Configured providers: ${known}.`,
      );
    }
    if (pinned.disabledReason !== undefined) {
      throw new GatewayError(
        'service_unavailable',
        `Provider "${pinned.settings.name}" is not available: ${pinned.disabledReason}.`,
      );
    }
    return [pinned];
  }
  let pool = byConfiguredOrder(members, options.fallbackOrder).filter(
    (member) => member.disabledReason === undefined,
  );
  if (options.model) {
    pool = pool.filter((member) => member.provider.models.includes(options.model!));
    if (pool.length === 0)
      throw new GatewayError('bad_request', `No configured provider serves model "${options.model}".`);
  }
  const heuristic = pool.filter((member) => member.settings.kind === 'heuristic');
  const available = pool.filter((member) => member.settings.kind !== 'heuristic' && isAvailable(member));
  // Nothing healthy: heuristic if configured, else everything (open breakers fail fast).
  if (available.length === 0) return heuristic.length > 0 ? heuristic : pool;
  let best = available[0]!;
  let bestScore = score(best, options);
  for (const member of available.slice(1)) {
    const candidate = score(member, options);
    if (candidate < bestScore) {
      best = member;
      bestScore = candidate;
    }
  }
  return [best, ...available.filter((member) => member !== best), ...heuristic];
}
