import type { Config } from '../../config/index.ts';
import { AppError } from '../../lib/app-error.ts';
import { type BudgetLedger, toMicros, toUsd } from './budget-ledger.ts';
import type { LimitDecision, LimitPolicy, RateLimitStore } from './rate-limit-store.ts';

/** What the limits read of an API key: its id and the limits set on it (null: the default or none). */
export interface LimitedKey {
  id: string;
  rateLimitPerHour: number;
  tokensPerMinute: number | null;
  monthlyBudgetUsd: number | null;
}

/** A refused or admitted token reservation; pass it back to `settleTokens`. */
export interface TokenReservation extends LimitDecision {
  /** Tokens taken from the window (0 when refused). */
  reservedTokens: number;
}

export interface BudgetReservation {
  allowed: boolean;
  /** Micro-dollars reserved; pass back to `settleBudget`. */
  reservedMicros: number;
  spentUsd: number;
  limitUsd: number;
  /** Made on this replica's own counter while Redis was skipped. */
  local?: boolean;
}

export interface BudgetSettlement {
  spentUsd: number;
  limitUsd: number;
  /** True when this request's real cost took spend across 80% of the budget. */
  crossedWarning: boolean;
}

export interface LimitsServiceOptions {
  store: RateLimitStore;
  ledger: BudgetLedger;
  auth: Config['auth'];
  /** Spend of a key so far this month, from the request logs: seeds the ledger after a restart. */
  monthSpendUsd(keyId: string): Promise<number>;
  now?: () => Date;
}

const monthTtlSeconds = 35 * 86_400;

/**
 * Every per-key and per-IP limit in one place. Counters live in the RateLimitStore / BudgetLedger
 * (Redis when configured), so they hold across replicas.
 */
export class LimitsService {
  readonly #options: LimitsServiceOptions;
  readonly #ipPolicy: LimitPolicy;
  readonly #authFailurePolicy: LimitPolicy;

  constructor(options: LimitsServiceOptions) {
    this.#options = options;
    this.#ipPolicy = { name: 'ip', points: options.auth.ipRequestsPerMinute, windowSeconds: 60 };
    this.#authFailurePolicy = {
      name: 'auth-failures',
      points: options.auth.authFailuresPerMinute,
      windowSeconds: 60,
      blockSeconds: options.auth.authLockoutSeconds,
    };
  }

  /** Unauthenticated traffic per client IP. */
  consumeIp(ip: string): Promise<LimitDecision> {
    return this.#options.store.consume(this.#ipPolicy, ip);
  }

  /** Whether this IP is locked out after too many failed authentications. */
  async lockout(ip: string): Promise<LimitDecision | undefined> {
    return lockedBy(await this.#options.store.peek(this.#authFailurePolicy, ip));
  }

  /** Counts a failed authentication; the one that uses up the allowance starts the lockout. */
  async recordAuthFailure(ip: string): Promise<LimitDecision> {
    const decision = await this.#options.store.consume(this.#authFailurePolicy, ip);
    if (decision.remaining === 0) await this.#options.store.block(this.#authFailurePolicy, ip);
    return decision;
  }

  /** Requests against the key's hourly limit (a batch counts its items): all admitted, or none taken. */
  consumeKeyRequest(key: LimitedKey, requests = 1): Promise<LimitDecision> {
    return this.#options.store.consume(hourlyPolicy(key), key.id, requests);
  }

  /**
   * Reserves estimated tokens against the key's per-minute token limit, if it has one. An estimate
   * larger than the whole limit reserves the whole limit: such a request runs in a minute nothing else
   * has used (and its real count is charged afterwards) instead of never.
   */
  async reserveTokens(key: LimitedKey, tokens: number): Promise<TokenReservation | undefined> {
    if (!key.tokensPerMinute) return undefined;
    const reservedTokens = Math.min(Math.max(1, Math.ceil(tokens)), key.tokensPerMinute);
    const decision = await this.#options.store.consume(tokensPolicy(key), key.id, reservedTokens);
    return { ...decision, reservedTokens: decision.allowed ? reservedTokens : 0 };
  }

  /** Replaces a token reservation with the real count (0 when nothing was spent after all). */
  async settleTokens(
    key: LimitedKey,
    reservation: TokenReservation | undefined,
    actual: number,
  ): Promise<void> {
    if (!key.tokensPerMinute || !reservation?.allowed) return;
    const delta = Math.ceil(actual) - reservation.reservedTokens;
    if (delta > 0) await this.#options.store.penalty(tokensPolicy(key), key.id, delta);
    else if (delta < 0) await this.#options.store.reward(tokensPolicy(key), key.id, -delta);
  }

  /**
   * Reserves an estimated cost against the key's monthly budget before the provider is called.
   * The check-and-add is atomic, so concurrent requests overspend by at most one estimate.
   */
  async reserveBudget(key: LimitedKey, estimateUsd: number): Promise<BudgetReservation | undefined> {
    if (key.monthlyBudgetUsd === null || key.monthlyBudgetUsd === undefined) return undefined;
    const ledgerKey = this.#ledgerKey(key.id);
    const limitMicros = toMicros(key.monthlyBudgetUsd);
    const reservedMicros = toMicros(estimateUsd);
    const result = await this.#reserveSeeded(key.id, ledgerKey, reservedMicros, limitMicros);
    return {
      allowed: result.allowed,
      reservedMicros: result.allowed ? reservedMicros : 0,
      spentUsd: toUsd(result.spentMicros),
      limitUsd: key.monthlyBudgetUsd,
      ...(result.local ? { local: true } : {}),
    };
  }

  /**
   * A reservation on a counter seeded from the spend the database has recorded. Seeding happens once
   * per period, or again when the counter answering is another one (Redis was skipped meanwhile).
   */
  async #reserveSeeded(keyId: string, ledgerKey: string, micros: number, limitMicros: number) {
    const { ledger } = this.#options;
    for (let round = 0; round < 3; round += 1) {
      const result = await ledger.reserve(ledgerKey, micros, limitMicros, monthTtlSeconds);
      if (result) return result;
      await ledger.seed(ledgerKey, toMicros(await this.#options.monthSpendUsd(keyId)), monthTtlSeconds);
    }
    throw new AppError('service_unavailable', 'The budget could not be checked just now; try again.', {
      isRetryable: true,
      headers: { 'retry-after': '1' },
    });
  }

  /**
   * Replaces a request's reservations (one per attempt) with its real cost, which may be higher or
   * lower, in one step per counter: releasing the re-asks' reservations before charging the cost would
   * open room another request could take meanwhile. Says whether that real cost is what took spend
   * across 80% of the budget: reservations are estimates, so the warning is judged on settled money.
   */
  async settleBudget(
    key: LimitedKey,
    reservations: readonly BudgetReservation[],
    actualUsd: number,
  ): Promise<BudgetSettlement | undefined> {
    const [first] = reservations;
    if (!first || key.monthlyBudgetUsd === null) return undefined;
    const ledgerKey = this.#ledgerKey(key.id);
    const actualMicros = toMicros(actualUsd);
    const { ledger } = this.#options;
    // The cost goes where the first reservation was made; a reservation on the other counter (Redis
    // was skipped for part of the request) is only returned.
    for (const local of [Boolean(first.local), !first.local]) {
      const reserved = reservations
        .filter((reservation) => Boolean(reservation.local) === local)
        .reduce((total, reservation) => total + reservation.reservedMicros, 0);
      const charged = local === Boolean(first.local) ? actualMicros : 0;
      if (reserved > 0 || charged > 0) await ledger.adjust(ledgerKey, charged - reserved, local);
    }
    const spentMicros = await ledger.spent(ledgerKey, first.local);
    const warningLine = toMicros(key.monthlyBudgetUsd) * 0.8;
    return {
      spentUsd: toUsd(spentMicros),
      limitUsd: key.monthlyBudgetUsd,
      crossedWarning:
        actualMicros > 0 && spentMicros >= warningLine && spentMicros - actualMicros < warningLine,
    };
  }

  /**
   * Starts the key's period counters over: this month's budget counter (seeded again from the request
   * logs, which a reset also restarts), the hourly request count and the per-minute token count.
   */
  async resetKeyUsage(key: LimitedKey): Promise<void> {
    await this.#options.ledger.clear(this.#ledgerKey(key.id));
    await this.#options.store.reset(hourlyPolicy(key), key.id);
    if (key.tokensPerMinute) await this.#options.store.reset(tokensPolicy(key), key.id);
  }

  async budgetSpentUsd(keyId: string): Promise<number> {
    return toUsd(await this.#options.ledger.spent(this.#ledgerKey(keyId)));
  }

  #ledgerKey(keyId: string): string {
    const now = (this.#options.now ?? (() => new Date()))();
    return `${keyId}:${now.toISOString().slice(0, 7)}`;
  }
}

/** The refusal a lockout state amounts to, or undefined when the address is not locked out. */
function lockedBy(state: LimitDecision): LimitDecision | undefined {
  return state.remaining === 0 && state.resetMs > 0 ? { ...state, allowed: false } : undefined;
}

const hourlyPolicy = (key: LimitedKey): LimitPolicy => ({
  name: 'key-hourly',
  points: key.rateLimitPerHour,
  windowSeconds: 3600,
});
const tokensPolicy = (key: LimitedKey): LimitPolicy => ({
  name: 'key-tokens',
  points: key.tokensPerMinute ?? 1,
  windowSeconds: 60,
});

/**
 * X-RateLimit-* (de-facto) and IETF RateLimit / RateLimit-Policy headers for a decision of one
 * policy, plus Retry-After on a refusal.
 */
export function rateLimitHeaders(
  policyName: string,
  windowSeconds: number,
  decision: LimitDecision,
  now = Date.now(),
): Record<string, string> {
  const resetSeconds = Math.ceil(decision.resetMs / 1000);
  const headers: Record<string, string> = {
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
    'x-ratelimit-reset': String(Math.ceil((now + decision.resetMs) / 1000)),
    'ratelimit-policy': `"${policyName}";q=${decision.limit};w=${windowSeconds}`,
    ratelimit: `"${policyName}";r=${decision.remaining};t=${resetSeconds}`,
  };
  if (!decision.allowed) headers['retry-after'] = String(Math.max(1, resetSeconds));
  return headers;
}
