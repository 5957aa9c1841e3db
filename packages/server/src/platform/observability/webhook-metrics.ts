import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { metricPrefix } from './metric-families.ts';

/** What one delivery attempt came to, as the metrics see it. */
export interface DeliveryAttempt {
  ok: boolean;
  latencyMs: number;
}

/** Delivery metrics: attempts by outcome, latency, deliveries given up, and the backlog. */
export class WebhookMetrics {
  readonly #attempts: Counter<'event_type' | 'outcome'>;
  readonly #latency: Histogram<'outcome'>;
  readonly #exhausted: Counter<'event_type'>;

  #pending: () => Promise<number> = async () => 0;

  constructor(registry: Registry) {
    const pending = () => this.#pending();
    this.#attempts = new Counter({
      name: `${metricPrefix}webhook_delivery_attempts_total`,
      help: 'Webhook delivery attempts by event type and outcome (success, failure)',
      labelNames: ['event_type', 'outcome'],
      registers: [registry],
    });
    this.#latency = new Histogram({
      name: `${metricPrefix}webhook_delivery_duration_seconds`,
      help: 'Time from sending a webhook to the receiver’s answer (or the failure)',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.#exhausted = new Counter({
      name: `${metricPrefix}webhook_deliveries_failed_total`,
      help: 'Webhook deliveries given up after every retry failed',
      labelNames: ['event_type'],
      registers: [registry],
    });
    new Gauge({
      name: `${metricPrefix}webhook_deliveries_pending`,
      help: 'Webhook deliveries waiting for their first attempt or a retry',
      registers: [registry],
      async collect() {
        this.set(await pending().catch(() => 0));
      },
    });
  }

  /** Where the backlog gauge reads the number of pending deliveries. */
  countPendingWith(count: () => Promise<number>): void {
    this.#pending = count;
  }

  attempt(eventType: string, outcome: DeliveryAttempt): void {
    const label = outcome.ok ? 'success' : 'failure';
    this.#attempts.inc({ event_type: eventType, outcome: label });
    this.#latency.observe({ outcome: label }, outcome.latencyMs / 1000);
  }

  exhausted(eventType: string): void {
    this.#exhausted.inc({ event_type: eventType });
  }
}
