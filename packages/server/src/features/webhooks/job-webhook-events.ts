import type { EndedJob, JobEvents } from '../jobs/job-events.ts';
import type { Webhooks } from './create-webhooks.ts';

/** Job events as webhooks: a job's `webhook_url` becomes a callback endpoint, its end a `job.*` event. */
export function jobWebhookEvents(webhooks: Pick<Webhooks, 'service' | 'outbox'>): JobEvents {
  return {
    callback: (db, url, ownerKeyId) => webhooks.service.createCallback(url, ownerKeyId, db),
    async ended(db, job) {
      if (job.apiKeyId === null) return;
      await webhooks.outbox.publish(
        {
          type: `job.${job.status}`,
          apiKeyId: job.apiKeyId,
          callbackEndpointId: job.webhookEndpointId ?? undefined,
          data: jobData(job),
        },
        db,
      );
    },
  };
}

function jobData(job: EndedJob): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: job.id,
    status: job.status,
    total_items: job.totalItems,
    results_url: `/v1/jobs/${job.id}/results`,
    ended_at: job.at.toISOString(),
  };
  if (job.progress) {
    const { succeeded, failed, cancelled, tokens, costUsd } = job.progress;
    data.progress = { succeeded, failed, cancelled };
    data.usage = { total_tokens: tokens, cost_usd: costUsd };
  }
  return data;
}
