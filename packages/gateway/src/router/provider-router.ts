import { Deadline } from '../lib/deadline.ts';
import { estimateTokensOfLength, type PriceTable } from '../pricing/price-table.ts';
import type { FailedAttempt, ProviderGateway, RoutedGeneration, RouteOptions } from '../spec/gateway.ts';
import type { GenerateRequest, GenerateResult, Provider } from '../spec/provider.ts';
import { ProviderError } from '../spec/provider-error.ts';
import type { ProviderSettings } from '../spec/provider-settings.ts';
import { backoffDelayMs, sleep } from './backoff.ts';
import { ProviderCircuit } from './provider-circuit.ts';
import { ProviderHealth } from './provider-health.ts';
import { type ProviderStatus, providerStatus } from './provider-status.ts';
import { AllProvidersFailedError, classify } from './route-errors.ts';
import { planRoute, type RouterStrategy } from './route-plan.ts';
import { emit, type RouterEvents } from './router-events.ts';
import type { RouterMember } from './router-member.ts';

/** The `router` config section (see config/providers-section.ts). */
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
  random?: () => number;
  now?: () => number;
}

export interface RouterProvider {
  provider: Provider;
  settings: ProviderSettings;
  disabledReason?: string;
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
  readonly #random: () => number;

  constructor(
    providers: readonly RouterProvider[],
    config: RouterConfig,
    prices: PriceTable,
    dependencies: RouterDependencies = {},
  ) {
    this.#config = config;
    this.#prices = prices;
    this.#events = dependencies.events;
    this.#sleep = dependencies.sleep ?? sleep;
    this.#random = dependencies.random ?? Math.random;
    const now = dependencies.now ?? Date.now;
    this.#members = providers.map(({ provider, settings, disabledReason }) => ({
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
    }));
  }

  async generate(request: GenerateRequest, options: RouteOptions): Promise<RoutedGeneration> {
    const model = options.model ?? request.model;
    // Planning and the first call's in-flight increment happen in the same tick, so concurrent
    // requests see each other's load (least-busy depends on it).
    const plan = planRoute(this.#members, {
      strategy: this.#config.strategy,
      fallbackOrder: this.#config.fallbackOrder,
      prices: this.#prices,
      provider: options.provider,
      model,
    });
    const failedAttempts: FailedAttempt[] = [];
    let llmMs = 0;
    // Index loops here and below: no iterator and no [index, value] pair per request.
    for (let index = 0; index < plan.length; index++) {
      const member = plan[index]!;
      const modelId = model ?? member.provider.defaultModel;
      for (let attempt = 1; ; attempt += 1) {
        if (options.signal.aborted) throw new AllProvidersFailedError(failedAttempts, true);
        const started = performance.now();
        const outcome = await this.#call(member, { ...request, model: modelId }, options.signal);
        const durationMs = performance.now() - started;
        llmMs += durationMs;
        if (!(outcome instanceof ProviderError)) {
          const costUsd = this.#costOf(member, modelId, outcome);
          emit(this.#events, 'onAttempt', {
            provider: member.settings.name,
            model: modelId,
            attempt,
            outcome: 'success',
            durationMs,
            costUsd,
          });
          return {
            ...outcome,
            provider: member.settings.name,
            costUsd,
            llmMs: Math.round(llmMs),
            failedAttempts,
          };
        }
        emit(this.#events, 'onAttempt', {
          provider: member.settings.name,
          model: modelId,
          attempt,
          outcome: 'failure',
          durationMs,
          costUsd: 0,
          error: outcome,
        });
        failedAttempts.push({
          provider: member.settings.name,
          model: modelId,
          kind: outcome.kind,
          message: outcome.message,
          costUsd: 0,
        });
        if (outcome.kind === 'aborted' || options.signal.aborted)
          throw new AllProvidersFailedError(failedAttempts, true);
        const delayMs = this.#retryDelay(member, outcome, attempt);
        if (delayMs === undefined) {
          const next = plan[index + 1];
          if (next)
            emit(this.#events, 'onFallback', {
              from: member.settings.name,
              to: next.settings.name,
              error: outcome,
            });
          break;
        }
        emit(this.#events, 'onRetry', {
          provider: member.settings.name,
          model: modelId,
          retry: attempt,
          delayMs,
          error: outcome,
        });
        try {
          await this.#sleep(delayMs, options.signal);
        } catch {
          throw new AllProvidersFailedError(failedAttempts, true);
        }
      }
    }
    const last = failedAttempts.at(-1);
    throw new AllProvidersFailedError(
      failedAttempts,
      last?.kind === 'timeout' && failedAttempts.every((a) => a.kind === 'timeout'),
    );
  }

  estimateCostUsd(request: GenerateRequest, options: Pick<RouteOptions, 'provider' | 'model'>): number {
    const model = options.model ?? request.model;
    let candidates: RouterMember[];
    try {
      candidates = planRoute(this.#members, { ...this.#planOptions(), provider: options.provider, model });
    } catch {
      return 0;
    }
    // The estimate only needs the length of what is sent; the schema's is measured once per object.
    let characters = request.system.length + schemaJsonLength(request.schema);
    const { messages } = request;
    for (let index = 0; index < messages.length; index++)
      characters += messages[index]!.content.length + (index > 0 ? 1 : 0);
    const inputTokens = estimateTokensOfLength(characters);
    // Upper bound for one answer: the most expensive candidate that might end up answering.
    return Math.max(
      0,
      ...candidates.map((member) => {
        const outputTokens = request.maxTokens ?? member.settings.maxTokens ?? 1024;
        return this.#costFor(member, model ?? member.provider.defaultModel, inputTokens, outputTokens);
      }),
    );
  }

  /** Status of every configured provider, in configured order, for GET /v1/analyze/providers. */
  listProviderStatus(): ProviderStatus[] {
    return providerStatus(this.#members, this.#config.fallbackOrder, this.#prices);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#members.map((member) => member.provider.close?.()));
  }

  #planOptions() {
    return {
      strategy: this.#config.strategy,
      fallbackOrder: this.#config.fallbackOrder,
      prices: this.#prices,
    };
  }

  /**
   * One call through the breaker with the provider's timeout; failures come back as values. Written
   * with reactions rather than as an async function: every call in flight holds one frame less.
   */
  #call(
    member: RouterMember,
    request: GenerateRequest,
    callerSignal: AbortSignal,
  ): Promise<GenerateResult | ProviderError> {
    member.inFlight += 1;
    const deadline = new Deadline(member.settings.timeoutMs, callerSignal);
    const { signal } = deadline;
    const started = performance.now();
    const done = () => {
      deadline.clear();
      member.inFlight -= 1;
    };
    return member.circuit
      .execute(() => member.provider.generate(request, { signal }))
      .then(
        (result) => {
          done();
          member.health.record(true, performance.now() - started);
          return result;
        },
        (caught: unknown) => {
          done();
          const error = classify(member.settings.name, caught, callerSignal, deadline.expired);
          if (error.kind !== 'aborted' && error.kind !== 'bad_request' && error.kind !== 'circuit_open') {
            member.health.record(false, performance.now() - started);
          }
          return error;
        },
      );
  }

  /** Delay before retrying the same provider, or undefined to move on to the next one. */
  #retryDelay(member: RouterMember, error: ProviderError, attempt: number): number | undefined {
    if (!error.isRetryable || attempt > this.#config.maxRetries || !member.circuit.canAttempt())
      return undefined;
    // A vendor asking for a longer pause than we would ever wait: use another provider instead.
    if (error.retryAfterMs !== undefined && error.retryAfterMs > this.#config.retryMaxDelayMs)
      return undefined;
    return backoffDelayMs(attempt - 1, {
      baseMs: this.#config.retryBaseDelayMs,
      maxMs: this.#config.retryMaxDelayMs,
      retryAfterMs: error.retryAfterMs,
      random: this.#random,
    });
  }

  #costOf(member: RouterMember, modelId: string, result: GenerateResult): number {
    return this.#costFor(member, modelId, result.usage.promptTokens, result.usage.completionTokens);
  }

  #costFor(member: RouterMember, modelId: string, inputTokens: number, outputTokens: number): number {
    if (member.settings.kind === 'local' || member.settings.kind === 'heuristic') return 0;
    return this.#prices.costUsd(modelId, inputTokens, outputTokens);
  }
}

/** Serialized length of a schema, memoized per schema object (the default one is shared process-wide). */
const schemaLengths = new WeakMap<object, number>();
function schemaJsonLength(schema: GenerateRequest['schema']): number {
  if (typeof schema !== 'object' || schema === null) return JSON.stringify(schema ?? null).length;
  let length = schemaLengths.get(schema);
  if (length === undefined) {
    length = JSON.stringify(schema).length;
    schemaLengths.set(schema, length);
  }
  return length;
}
