import { AppError } from '../../lib/app-error.ts';
import type {
  BudgetReservation,
  LimitsService,
  TokenReservation,
} from '../../platform/limits/limits.service.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import type { AnalyzeContext } from './analyze-context.ts';
import type { AnalyzeObserver } from './analyze-observer.ts';
import type { AttemptUsage } from './analyze-pipeline.ts';

export interface BudgetGuardDeps {
  limits: LimitsService;
  audit: AuditService;
  observer?: AnalyzeObserver;
}

/** The tokens one generation is expected to use, reserved before the first provider call. */
export interface SpendEstimate {
  tokens: number;
}

/** What a generation reports to the guard as it goes. */
export interface SpendHooks {
  /** Every attempt's real usage, so what was spent is known even when a later attempt throws. */
  track(attempt: AttemptUsage): void;
  /**
   * Reserves one attempt's estimated cost before the provider is called. The first attempt is refused
   * with 402; a re-ask that does not fit answers false (the generation stops re-asking).
   */
  reserve(estimateUsd: number, attempt: number): Promise<boolean>;
}

/**
 * Runs a generation inside the key's limits: reserves the estimated tokens (per-minute limit) before
 * it starts and the estimated cost of every attempt (monthly budget) before that attempt is made,
 * refuses with 429 or 402 when either is used up, and settles both with what the attempts really
 * spent, whether the generation succeeded or not.
 */
export class BudgetGuard {
  readonly #deps: BudgetGuardDeps;

  constructor(deps: BudgetGuardDeps) {
    this.#deps = deps;
  }

  async run<T>(
    context: AnalyzeContext,
    estimate: SpendEstimate,
    generate: (hooks: SpendHooks) => Promise<T>,
  ): Promise<T> {
    const tokens = await this.#reserveTokens(context, estimate.tokens);
    const reservations: BudgetReservation[] = [];
    const spent = { usd: 0, tokens: 0 };
    try {
      return await generate({
        track: (attempt) => {
          spent.usd += attempt.costUsd;
          spent.tokens += attempt.promptTokens + attempt.completionTokens;
        },
        reserve: async (usd, attempt) => {
          const budget = await this.#reserveBudget(context, usd, attempt);
          if (budget?.allowed) reservations.push(budget);
          return budget === undefined || budget.allowed;
        },
      });
    } finally {
      await this.#settle(context, reservations, spent.usd);
      await this.#deps.limits.settleTokens(context.key, tokens, spent.tokens);
    }
  }

  async #reserveTokens(context: AnalyzeContext, tokens: number): Promise<TokenReservation | undefined> {
    const reservation = await this.#deps.limits.reserveTokens(context.key, tokens);
    if (!reservation || reservation.allowed) return reservation;
    this.#deps.observer?.onLimitRejected('tokens');
    const retrySeconds = Math.max(1, Math.ceil(reservation.resetMs / 1000));
    throw new AppError('rate_limited', tokensRefusal(Math.ceil(tokens), reservation, retrySeconds), {
      headers: { 'retry-after': String(retrySeconds) },
    });
  }

  /** One attempt's reservation; the first attempt's refusal is the request's 402. */
  async #reserveBudget(
    context: AnalyzeContext,
    usd: number,
    attempt: number,
  ): Promise<BudgetReservation | undefined> {
    const budget = await this.#deps.limits.reserveBudget(context.key, usd);
    if (!budget) return undefined;
    if (budget.allowed) {
      this.#deps.observer?.onBudget(context.key.id, budget.spentUsd, budget.limitUsd);
      return budget;
    }
    // A re-ask that does not fit ends the re-asking (the answer says why); the request was admitted.
    if (attempt > 1) return budget;
    this.#deps.audit.record({
      eventType: 'budget.exceeded',
      result: 'denied',
      actorKeyId: context.key.id,
      ip: context.ip,
      requestId: context.requestId,
      details: { spent_usd: budget.spentUsd, budget_usd: budget.limitUsd, estimate_usd: usd },
    });
    this.#deps.observer?.onLimitRejected('budget');
    throw new AppError('budget_exceeded', budgetRefusal(usd, budget));
  }

  /** Replaces every attempt's reservation with the real cost; crossing 80% of the budget is audited once. */
  async #settle(context: AnalyzeContext, reservations: BudgetReservation[], usd: number): Promise<void> {
    const settled = await this.#deps.limits.settleBudget(context.key, reservations, usd);
    if (!settled) return;
    this.#deps.observer?.onBudget(context.key.id, settled.spentUsd, settled.limitUsd);
    if (!settled.crossedWarning) return;
    this.#deps.audit.record({
      eventType: 'budget.warning',
      result: 'warning',
      actorKeyId: context.key.id,
      requestId: context.requestId,
      details: { spent_usd: settled.spentUsd, budget_usd: settled.limitUsd, threshold: 0.8 },
    });
  }
}

/** Which limit refused the request and by how much: the estimate against what the minute has left. */
function tokensRefusal(estimate: number, refusal: TokenReservation, retrySeconds: number): string {
  const { limit, remaining } = refusal;
  const retry = ` Retry in ${retrySeconds} s.`;
  if (estimate > limit) {
    return (
      `This request needs an estimated ${estimate} tokens, more than the key's limit of ${limit} tokens ` +
      `per minute: it runs only in a minute nothing else has used, and ${limit - remaining} tokens of this ` +
      `minute are already used.${retry}`
    );
  }
  return (
    `This request needs an estimated ${estimate} tokens, ${estimate - remaining} more than the ${remaining} ` +
    `left of the key's limit of ${limit} tokens per minute.${retry}`
  );
}

/** The reservation that does not fit, against the budget, what is spent (or reserved) and what is left. */
function budgetRefusal(estimateUsd: number, budget: BudgetReservation): string {
  const left = Math.max(0, budget.limitUsd - budget.spentUsd);
  return (
    `This request's reservation of ${formatUsd(estimateUsd)} (its estimated cost) does not fit in the key's ` +
    `monthly budget of ${formatUsd(budget.limitUsd)}: ${formatUsd(budget.spentUsd)} spent or reserved, ` +
    `${formatUsd(left)} left.`
  );
}

/** Dollars to the ledger's micro-dollar and no further, without trailing zeros: $0.0001, $25, $0.000637. */
function formatUsd(usd: number): string {
  return `$${Number(usd.toFixed(6))}`;
}
