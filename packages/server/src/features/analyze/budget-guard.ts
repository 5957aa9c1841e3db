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

/** What one generation is expected to cost, reserved before the first provider call. */
export interface SpendEstimate {
  tokens: number;
  usd: number;
}

/** Called with every attempt's real usage, so what was spent is known even when a later attempt throws. */
export type SpendTracker = (attempt: AttemptUsage) => void;

/**
 * Runs a generation inside the key's limits: reserves the estimated tokens (per-minute limit) and
 * cost (monthly budget) before it starts, refuses with 429 or 402 when either is used up, and settles
 * both with what the attempts really spent, whether the generation succeeded or not.
 */
export class BudgetGuard {
  readonly #deps: BudgetGuardDeps;

  constructor(deps: BudgetGuardDeps) {
    this.#deps = deps;
  }

  async run<T>(
    context: AnalyzeContext,
    estimate: SpendEstimate,
    generate: (track: SpendTracker) => Promise<T>,
  ): Promise<T> {
    const tokens = await this.#reserveTokens(context, estimate.tokens);
    const budget = await this.#reserveBudget(context, estimate.usd).catch(async (error: unknown) => {
      // Refused after its tokens were reserved: the request spends nothing, so they go back.
      await this.#deps.limits.settleTokens(context.key, tokens, 0);
      throw error;
    });
    const spent = { usd: 0, tokens: 0 };
    try {
      return await generate((attempt) => {
        spent.usd += attempt.costUsd;
        spent.tokens += attempt.promptTokens + attempt.completionTokens;
      });
    } finally {
      await this.#settle(context, budget, spent.usd);
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

  async #reserveBudget(context: AnalyzeContext, usd: number): Promise<BudgetReservation | undefined> {
    const budget = await this.#deps.limits.reserveBudget(context.key, usd);
    if (!budget) return undefined;
    if (budget.allowed) {
      this.#deps.observer?.onBudget(context.key.id, budget.spentUsd, budget.limitUsd);
      return budget;
    }
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

  /** Replaces the reservation with the real cost; crossing 80% of the budget is audited once. */
  async #settle(context: AnalyzeContext, budget: BudgetReservation | undefined, usd: number): Promise<void> {
    const settled = await this.#deps.limits.settleBudget(context.key, budget, usd);
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
