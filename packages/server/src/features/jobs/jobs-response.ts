import type { Job } from '@structured-prompt/contracts';
import type { DeadLetterRecord, JobItemRecord, JobProgress, JobRecord } from './job-types.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toJob(job: JobRecord, progress: JobProgress): Job {
  const finished = progress.succeeded + progress.failed + progress.cancelled;
  return {
    id: job.id,
    type: job.jobType,
    status: job.status,
    priority: job.priority,
    progress: {
      total: job.totalItems,
      pending: progress.pending,
      running: progress.running,
      succeeded: progress.succeeded,
      failed: progress.failed,
      cancelled: progress.cancelled,
      percent: job.totalItems === 0 ? 100 : Math.round((finished / job.totalItems) * 1000) / 10,
    },
    usage: { total_tokens: progress.tokens, cost_usd: Math.round(progress.costUsd * 1e8) / 1e8 },
    created_at: job.createdAt.toISOString(),
    started_at: iso(job.startedAt),
    completed_at: iso(job.completedAt),
    expires_at: iso(job.expiresAt),
    results_url: `/v1/jobs/${job.id}/results`,
  };
}

export function toItemResult(item: JobItemRecord) {
  return {
    index: item.index,
    status: item.status,
    attempts: item.attempts,
    result: item.result ?? null,
    error: item.error,
    usage: { total_tokens: item.tokens, cost_usd: item.costUsd },
    latency_ms: item.latencyMs,
    cached: item.cached,
  };
}

export function toDeadLetter(record: DeadLetterRecord) {
  return {
    id: record.id,
    job_id: record.jobId,
    index: record.index,
    api_key_id: record.apiKeyId,
    attempts: record.attempts,
    error: record.error,
    created_at: record.createdAt.toISOString(),
    retried_at: iso(record.retriedAt),
  };
}
