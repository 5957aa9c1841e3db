import { Deadline } from '../lib/deadline.ts';
import type { PriceTable } from '../pricing/price-table.ts';
import type { FailedAttempt, ProviderGateway, RoutedGeneration, RouteOptions } from '../spec/gateway.ts';
import type { GenerateRequest, GenerateResult, Provider } from '../spec/provider.ts';
import { ProviderError } from '../spec/provider-error.ts';
import type { ProviderSettings } from '../spec/provider-settings.ts';
import { callCostUsd, estimateCostUsd } from './cost-estimate.ts';
import { ProviderCircuit } from './provider-circuit.ts';
import { ProviderHealth } from './provider-health.ts';
import { type ProviderStatus, providerStatus } from './provider-status.ts';
import { type BackoffGenerator, RetrySchedule, sleep } from './retry-schedule.ts';
import { AllProvidersFailedError, classify } from './route-errors.ts';
import { type PlanOptions, planRoute, type RouterStrategy } from './route-plan.ts';
import { emit, type RouterEvents } from './router-events.ts';
import type { RouterMember } from './router-member.ts';

/** The `router` config section (see the server's config/providers-section.ts). */
export interface RouterConfig {
  strategy: RouterStrategy;
  fallbackOrder: readonly string[];
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  breakerFailureThreshold: number;
  breakerCooldownMs: number;
  healthWindowMs: number;
  healthErrorRateThreshold: number;
  healthMinRequests: number;
  healthDisableMs: number;
}

export interface RouterDependencies {
  events?: RouterEvents;
  /** Injected so tests can observe backoff without waiting for it. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** How retry delays grow; default cockatiel's equal jitter. Tests pass `noJitterGenerator`. */
  backoffGenerator?: BackoffGenerator;
  now?: () => number;
}

export interface RouterProvider {
  provider: Provider;
  settings: ProviderSettings;
  disabledReason?: string;
}

/** Something the router owns besides its providers and releases on `close()` (the transport). */
export interface Closable {
  close(): Promise<void>;
}

/** What one request has spent so far across providers and retries. */
interface RouteProgress {
  failedAttempts: FailedAttempt[];
  lastError?: ProviderError;
  llmMs: number;
}

interface Answer {
  result: GenerateResult;
  costUsd: number;
}

/**
 * The gateway the analyze pipeline talks to: picks providers by strategy, retries transient
 * failures with backoff (honoring Retry-After), falls back along the chain, and keeps a circuit
 * breaker, health and latency per provider. Each call gets the provider's timeout combined with
 * the caller's deadline signal, so either one aborts the HTTP request.
 */
export class ProviderRouter implements ProviderGateway {
  readonly #members: RouterMember[];
  readonly #config: RouterConfig;
  readonly #prices: PriceTable;
  readonly #events: RouterEvents | undefined;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #backoffGenerator: BackoffGenerator | undefined;
  readonly #owned: readonly Closable[];

  constructor(
    providers: readonly RouterProvider[],
    config: RouterConfig,
    prices: PriceTable,
    dependencies: RouterDependencies = {},
    owned: readonly Closable[] = [],
  ) {
    this.#config = config;
    this.#prices = prices;
    this.#events = dependencies.events;
    this.#sleep = dependencies.sleep ?? sleep;
    this.#backoffGenerator = dependencies.backoffGenerator;
    this.#owned = owned;
    this.#members = providers.map((provider) => this.#member(provider, dependencies.now ?? Date.now));
  }

  /** Plan → call with retries → fall back → the first answer, or every failure. */
  async generate(request: GenerateRequest, options: RouteOptions): Promise<RoutedGeneration> {
    const model = options.model ?? request.model;
    // Planning and the first call's in-flight increment happen in the same tick, so concurrent
    // requests see each other's load (least-busy depends on it).
    const plan = planRoute(this.#members, { ...this.#planOptions(), provider: options.provider, model });
    const progress: RouteProgress = { failedAttempts: [], llmMs: 0 };
    for (const [index, member] of plan.entries()) {
      const modelId = model ?? member.provider.defaultModel;
      const answer = await this.#tryProvider(member, { ...request, model: modelId }, options, progress);
      if (answer) return this.#routed(member, answer, progress);
      this.#fallBack(member, plan[index + 1], progress);
    }
    throw allFailed(progress);
  }

  estimateCostUsd(request: GenerateRequest, options: Pick<RouteOptions, 'provider' | 'model'>): number {
    const model = options.model ?? request.model;
    let candidates: RouterMember[];
    try {
      candidates = planRoute(this.#members, { ...this.#planOptions(), provider: options.provider, model });
    } catch {
      return 0;
    }
    return estimateCostUsd(this.#prices, candidates, request, model);
  }

  /** Status of every configured provider, in configured order, for GET /v1/analyze/providers. */
  listProviderStatus(): ProviderStatus[] {
    return providerStatus(this.#members, this.#config.fallbackOrder, this.#prices);
  }

  /** Closes every provider, then what the router owns (the connections to vendors). */
  async close(): Promise<void> {
    await Promise.allSettled(this.#members.map((member) => member.provider.close?.()));
    await Promise.allSettled(this.#owned.map((resource) => resource.close()));
  }

  /** Calls one provider, retrying transient failures; undefined when the next provider should answer. */
  async #tryProvider(
    member: RouterMember,
    request: GenerateRequest,
    options: Pick<RouteOptions, 'signal' | 'sink'>,
    progress: RouteProgress,
  ): Promise<Answer | undefined> {
    const { signal } = options;
    const schedule = new RetrySchedule(this.#config, this.#backoffGenerator);
    for (let attempt = 1; ; attempt += 1) {
      if (signal.aborted) throw new AllProvidersFailedError(progress.failedAttempts, true);
      const outcome = await this.#attempt(member, request, options, attempt, progress);
      if (!(outcome instanceof ProviderError)) return outcome;
      if (outcome.kind === 'aborted' || signal.aborted)
        throw new AllProvidersFailedError(progress.failedAttempts, true);
      const delayMs = member.circuit.canAttempt() ? schedule.next(outcome, attempt) : undefined;
      if (delayMs === undefined) return undefined;
      const { name: provider } = member.settings;
      emit(this.#events, 'onRetry', {
        provider,
        model: request.model!,
        retry: attempt,
        delayMs,
        error: outcome,
      });
      await this.#sleep(delayMs, signal).catch(() => {
        throw new AllProvidersFailedError(progress.failedAttempts, true);
      });
    }
  }

  /** One call, timed and reported; a failure is recorded and returned as a value. */
  async #attempt(
    member: RouterMember,
    request: GenerateRequest,
    options: Pick<RouteOptions, 'signal' | 'sink'>,
    attempt: number,
    progress: RouteProgress,
  ): Promise<Answer | ProviderError> {
    const started = performance.now();
    const outcome = await this.#call(member, request, options);
    const durationMs = performance.now() - started;
    progress.llmMs += durationMs;
    const provider = member.settings.name;
    const model = request.model!;
    if (outcome instanceof ProviderError) {
      emit(this.#events, 'onAttempt', {
        provider,
        model,
        attempt,
        outcome: 'failure',
        durationMs,
        costUsd: 0,
        error: outcome,
      });
      progress.failedAttempts.push({
        provider,
        model,
        kind: outcome.kind,
        message: outcome.message,
        costUsd: 0,
      });
      progress.lastError = outcome;
      return outcome;
    }
    const { promptTokens, completionTokens } = outcome.usage;
    const costUsd = callCostUsd(this.#prices, member, model, promptTokens, completionTokens);
    emit(this.#events, 'onAttempt', { provider, model, attempt, outcome: 'success', durationMs, costUsd });
    return { result: outcome, costUsd };
  }

  /** One call through the breaker with the provider's timeout; a failure comes back as a value. */
  async #call(
    member: RouterMember,
    request: GenerateRequest,
    options: Pick<RouteOptions, 'signal' | 'sink'>,
  ) {
    const { signal: callerSignal, sink } = options;
    member.inFlight += 1;
    const deadline = new Deadline(member.settings.timeoutMs, callerSignal);
    const started = performance.now();
    try {
      const result = await member.circuit.execute(() => {
        sink?.start();
        return member.provider.generate(request, { signal: deadline.signal, ...(sink ? { sink } : {}) });
      });
      member.health.record(true, performance.now() - started);
      return result;
    } catch (caught) {
      const error = classify(member.settings.name, caught, callerSignal, deadline.expired);
      // Failures of the request or the caller say nothing about the provider's health.
      if (error.kind !== 'aborted' && error.kind !== 'bad_request' && error.kind !== 'circuit_open')
        member.health.record(false, performance.now() - started);
      return error;
    } finally {
      deadline.clear();
      member.inFlight -= 1;
    }
  }

  #fallBack(member: RouterMember, next: RouterMember | undefined, progress: RouteProgress): void {
    if (!next || !progress.lastError) return;
    emit(this.#events, 'onFallback', {
      from: member.settings.name,
      to: next.settings.name,
      error: progress.lastError,
    });
  }

  #routed(member: RouterMember, answer: Answer, progress: RouteProgress): RoutedGeneration {
    return {
      ...answer.result,
      provider: member.settings.name,
      costUsd: answer.costUsd,
      llmMs: Math.round(progress.llmMs),
      failedAttempts: progress.failedAttempts,
    };
  }

  #planOptions(): Omit<PlanOptions, 'provider' | 'model'> {
    return {
      strategy: this.#config.strategy,
      fallbackOrder: this.#config.fallbackOrder,
      prices: this.#prices,
    };
  }

  #member({ provider, settings, disabledReason }: RouterProvider, now: () => number): RouterMember {
    const config = this.#config;
    return {
      provider,
      settings,
      ...(disabledReason === undefined ? {} : { disabledReason }),
      inFlight: 0,
      circuit: new ProviderCircuit(settings.name, {
        threshold: config.breakerFailureThreshold,
        cooldownMs: config.breakerCooldownMs,
        onChange: (state) => emit(this.#events, 'onCircuitChange', { provider: settings.name, state }),
      }),
      health: new ProviderHealth({
        windowMs: config.healthWindowMs,
        errorRateThreshold: config.healthErrorRateThreshold,
        minRequests: config.healthMinRequests,
        disableMs: config.healthDisableMs,
        now,
      }),
    };
  }
}

/** Every candidate failed; a deadline error when every failure was a timeout. */
function allFailed(progress: RouteProgress): AllProvidersFailedError {
  const attempts = progress.failedAttempts;
  const timedOut = attempts.length > 0 && attempts.every((attempt) => attempt.kind === 'timeout');
  return new AllProvidersFailedError(attempts, timedOut);
}
