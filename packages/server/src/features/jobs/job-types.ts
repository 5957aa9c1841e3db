import type { AnalyzeRequest } from '@structured-prompt/contracts';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled' | 'expired';
export type ItemStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type JobPriority = 'high' | 'default' | 'batch';

/** One job as stored: who submitted it, its state and when it changed. */
export interface JobRecord {
  id: string;
  apiKeyId: string | null;
  /** `single` (one analyze request) or `batch` (a list of items). */
  jobType: 'single' | 'batch';
  status: JobStatus;
  priority: JobPriority;
  totalItems: number;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  expiresAt: Date | null;
  /** The secret that signs this job's own webhook; only on the record `create` returns. */
  webhookSecret?: string;
}

/** Items per state, and what the finished ones used. */
export interface JobProgress {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  tokens: number;
  costUsd: number;
}

/** The problem document of a failed item (the same members as an HTTP problem). */
export interface ItemError {
  code: string;
  status: number;
  detail: string;
  retryable: boolean;
}

export interface JobItemRecord {
  jobId: string;
  index: number;
  status: ItemStatus;
  attempts: number;
  result: unknown;
  error: ItemError | null;
  tokens: number;
  costUsd: number;
  latencyMs: number | null;
  cached: boolean;
  completedAt: Date | null;
}

export interface NewJob {
  id: string;
  apiKeyId: string;
  /** Where the job's events go besides the key's subscriptions (checked by the webhook guard). */
  webhookUrl?: string;
  jobType: 'single' | 'batch';
  priority: JobPriority;
  items: AnalyzeRequest[];
  expiresAt: Date;
}

/** A queue message: ids only, the state lives in the database. */
export interface ItemRef {
  jobId: string;
  index: number;
}

export interface DeadLetterRecord {
  id: string;
  jobId: string;
  index: number;
  apiKeyId: string | null;
  attempts: number;
  error: ItemError;
  createdAt: Date;
  retriedAt: Date | null;
}
