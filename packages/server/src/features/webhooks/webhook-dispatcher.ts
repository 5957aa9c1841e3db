import type { Logger } from 'pino';
import type { WebhookMetrics } from '../../platform/observability/webhook-metrics.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import type { DueDelivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository.ts';
import type { WebhookEndpoint, WebhookEndpointsRepository } from './webhook-endpoints.repository.ts';
import type { AttemptOutcome, WebhookSender } from './webhook-sender.ts';
import { signWebhook } from './webhook-signature.ts';

export interface DispatcherOptions {
  endpoints: WebhookEndpointsRepository;
  deliveries: WebhookDeliveriesRepository;
  sender: WebhookSender;
  audit: AuditService;
  metrics: WebhookMetrics;
  logger: Logger;
  /** Seconds to wait before each retry; attempts = retries + 1. */
  retrySchedule: readonly number[];
  /** An endpoint failing without a success for this long is disabled. */
  disableAfterMs: number;
  pollIntervalMs: number;
  concurrency: number;
  /** A claimed delivery whose process died is taken again after this. */
  leaseMs: number;
}

/**
 * Delivers the outbox: claims due deliveries (leases, so every replica and worker can run one),
 * signs and sends each, and records the outcome — success, a retry with exponential backoff and
 * jitter, or failure once the schedule is spent. 410 Gone disables the endpoint at once; an
 * endpoint failing for `disableAfterMs` is disabled with an audit event.
 */
export class WebhookDispatcher {
  readonly #options: DispatcherOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass: delivers what is due now; the number of deliveries attempted. */
  async runOnce(now = new Date()): Promise<number> {
    const { deliveries, concurrency, leaseMs } = this.#options;
    const due = await deliveries.claimDue(now, concurrency, leaseMs);
    await Promise.all(due.map((delivery) => this.#deliver(delivery)));
    return due.length;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#loop().finally(() => {
        this.#running = undefined;
      });
    }, delayMs);
    this.#timer.unref();
  }

  async #loop(): Promise<void> {
    let attempted = 0;
    try {
      attempted = await this.runOnce();
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'webhook delivery pass failed; retrying');
    }
    this.#schedule(attempted > 0 ? 0 : this.#options.pollIntervalMs);
  }

  async #deliver(delivery: DueDelivery): Promise<void> {
    const { endpoints, deliveries, sender, metrics } = this.#options;
    const endpoint = await endpoints.get(delivery.endpointId);
    if (!endpoint?.enabled) {
      await deliveries.cancelPending(delivery.endpointId);
      return;
    }
    const now = new Date();
    const headers = signWebhook(
      secretsOf(endpoint, now),
      `msg_${delivery.messageId}`,
      Math.floor(now.getTime() / 1000),
      delivery.body,
    );
    const outcome = await sender.send(endpoint.url, headers, delivery.body);
    metrics.attempt(delivery.eventType, outcome);
    if (outcome.ok) {
      await deliveries.recordAttempt(delivery.id, { ...fields(outcome, now), status: 'succeeded' });
      await endpoints.markHealth(endpoint.id, true, now);
      return;
    }
    await this.#recordFailure(delivery, endpoint, outcome, now);
  }

  async #recordFailure(delivery: DueDelivery, endpoint: WebhookEndpoint, outcome: AttemptOutcome, now: Date) {
    const { deliveries, endpoints, retrySchedule, disableAfterMs } = this.#options;
    if (outcome.statusCode === 410) {
      await deliveries.recordAttempt(delivery.id, { ...fields(outcome, now), status: 'failed' });
      await this.#disable(endpoint, 'the receiver answered 410 Gone');
      return;
    }
    const retryIn = retrySchedule[delivery.attempts];
    if (retryIn === undefined) {
      this.#options.metrics.exhausted(delivery.eventType);
      await deliveries.recordAttempt(delivery.id, { ...fields(outcome, now), status: 'failed' });
    } else {
      const nextAttemptAt = new Date(now.getTime() + jittered(retryIn * 1000));
      await deliveries.recordAttempt(delivery.id, {
        ...fields(outcome, now),
        status: 'pending',
        nextAttemptAt,
      });
    }
    await endpoints.markHealth(endpoint.id, false, now);
    const failingSince = endpoint.failingSince ?? now;
    if (now.getTime() - failingSince.getTime() >= disableAfterMs) {
      await this.#disable(endpoint, `no successful delivery since ${failingSince.toISOString()}`);
    }
  }

  async #disable(endpoint: WebhookEndpoint, reason: string): Promise<void> {
    const { endpoints, deliveries, audit, logger } = this.#options;
    await endpoints.update(endpoint.id, { enabled: false, disabledReason: reason });
    const cancelled = await deliveries.cancelPending(endpoint.id);
    audit.record({
      eventType: 'webhook.disabled',
      result: 'warning',
      actorKeyId: null,
      resource: `webhook:${endpoint.id}`,
      details: { reason, owner_key_id: endpoint.ownerKeyId, cancelled_deliveries: cancelled },
    });
    logger.warn({ webhook: endpoint.id, reason }, 'webhook endpoint disabled');
  }
}

/** The current secret, and the previous one while its overlap lasts. */
function secretsOf(endpoint: WebhookEndpoint, now: Date): string[] {
  const overlapping =
    endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  return overlapping ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

function fields(outcome: AttemptOutcome, at: Date) {
  return {
    statusCode: outcome.statusCode,
    error: outcome.error,
    responseBody: outcome.responseBody,
    latencyMs: outcome.latencyMs,
    at,
  };
}

/** ±20%, so receivers that failed together are not retried together. */
function jittered(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
