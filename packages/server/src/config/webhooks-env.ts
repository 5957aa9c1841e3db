import type { EnvSetting } from './env-mapping.ts';

/** Webhook delivery settings (docs/webhooks.md). */
export const webhookEnvSettings: readonly EnvSetting[] = [
  {
    env: 'WEBHOOK_DELIVERY',
    path: 'webhooks.deliver',
    description: 'Deliver webhooks from this process (turn off where only workers should deliver)',
  },
  {
    env: 'WEBHOOK_ALLOW_HTTP',
    path: 'webhooks.allowHttp',
    description: 'Accept plain-http webhook URLs (local receivers); https only otherwise',
  },
  {
    env: 'WEBHOOK_ALLOWED_CIDRS',
    path: 'webhooks.allowedCidrs',
    description: 'Comma list of non-public CIDRs webhooks may reach (e.g. `127.0.0.1/32`); none by default',
    list: true,
  },
  { env: 'WEBHOOK_TIMEOUT_MS', path: 'webhooks.timeoutMs', description: 'Time a receiver has to answer' },
  {
    env: 'WEBHOOK_RETRY_SCHEDULE',
    path: 'webhooks.retryScheduleSeconds',
    description: 'Comma list of seconds before each retry of a failed delivery (with ±20% jitter)',
    list: true,
  },
  {
    env: 'WEBHOOK_DISABLE_AFTER_HOURS',
    path: 'webhooks.disableAfterHours',
    description: 'An endpoint failing this long without a success is disabled',
  },
  {
    env: 'WEBHOOK_POLL_INTERVAL_MS',
    path: 'webhooks.pollIntervalMs',
    description: 'How often the outbox is checked for due deliveries',
  },
  {
    env: 'WEBHOOK_CONCURRENCY',
    path: 'webhooks.concurrency',
    description: 'Deliveries sent at once per process',
  },
];
