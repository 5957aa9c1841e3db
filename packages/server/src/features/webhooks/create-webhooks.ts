import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Config } from '../../config/index.ts';
import { WebhookMetrics } from '../../platform/observability/webhook-metrics.ts';
import type { Database } from '../../platform/storage/database.ts';
import type { AnalyzeObserver } from '../analyze/analyze-observer.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import { AccountEvents } from './account-events.ts';
import { SsrfGuard } from './ssrf-guard.ts';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.ts';
import { WebhookOutbox } from './webhook-outbox.ts';
import { WebhookSender } from './webhook-sender.ts';
import { WebhooksService } from './webhooks.service.ts';

/** The webhook feature's parts, built once by the composition root. */
export interface Webhooks {
  service: WebhooksService;
  outbox: WebhookOutbox;
  dispatcher: WebhookDispatcher;
  accountEvents: AccountEvents;
  /** Starts delivering (when the config says this process delivers) and the expiring-key scan. */
  start(): void;
  close(): Promise<void>;
}

export interface WebhookDeps {
  database: Database;
  config: Readonly<Config>;
  logger: Logger;
  audit: AuditService;
  /** The app's webhook metrics; a private set when not given (tests). */
  metrics?: WebhookMetrics;
}

const expiryScanIntervalMs = 3_600_000;

export function createWebhooks({ database, config, logger, audit, metrics: given }: WebhookDeps): Webhooks {
  const settings = config.webhooks;
  const endpoints = new WebhookEndpointsRepository(database);
  const deliveries = new WebhookDeliveriesRepository(database);
  const outbox = new WebhookOutbox(database, endpoints, deliveries);
  const guard = new SsrfGuard({ allowHttp: settings.allowHttp, allowedCidrs: settings.allowedCidrs });
  const sender = new WebhookSender({ guard, timeoutMs: settings.timeoutMs });
  const metrics = given ?? new WebhookMetrics(new Registry());
  metrics.countPendingWith(() => deliveries.pendingCount());
  const dispatcher = new WebhookDispatcher({
    endpoints,
    deliveries,
    sender,
    audit,
    metrics,
    logger,
    retrySchedule: settings.retryScheduleSeconds,
    disableAfterMs: settings.disableAfterHours * 3_600_000,
    pollIntervalMs: settings.pollIntervalMs,
    concurrency: settings.concurrency,
    leaseMs: settings.timeoutMs + 5000,
  });
  const accountEvents = new AccountEvents(database, outbox, logger);
  return {
    service: new WebhooksService({ endpoints, deliveries, outbox, guard, audit }),
    outbox,
    dispatcher,
    accountEvents,
    start() {
      if (settings.deliver) dispatcher.start();
      accountEvents.startExpiryScan(expiryScanIntervalMs);
    },
    async close() {
      accountEvents.stop();
      await dispatcher.stop();
      await sender.close();
    },
  };
}

/** Adds budget-threshold events to an analyze observer. */
export function withAccountEvents(
  observer: AnalyzeObserver | undefined,
  events: AccountEvents,
  logger: Logger,
): AnalyzeObserver {
  return {
    onAnalyzed: (event) => observer?.onAnalyzed(event),
    onSuspiciousInput: (kind) => observer?.onSuspiciousInput(kind),
    onLimitRejected: (kind) => observer?.onLimitRejected(kind),
    onKeyUsage: (keyId, usage) => observer?.onKeyUsage(keyId, usage),
    onBudget(keyId, spentUsd, limitUsd) {
      observer?.onBudget(keyId, spentUsd, limitUsd);
      events.budgetSpent(keyId, spentUsd, limitUsd).catch((error: unknown) => {
        logger.warn({ err: error, api_key_id: keyId }, 'could not record a budget-threshold event');
      });
    },
  };
}
