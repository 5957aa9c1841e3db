import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../../platform/storage/database-schema.ts';
import type { JobProgress, JobStatus } from './job-types.ts';

/** A job that reached a final state, as its event reports it. */
export interface EndedJob {
  id: string;
  apiKeyId: string | null;
  status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled' | 'expired'>;
  webhookEndpointId: string | null;
  totalItems: number;
  progress?: JobProgress;
  at: Date;
}

/**
 * What the jobs feature tells the outside world, inside its own transactions (the webhook outbox),
 * so an event exists exactly when the state change it reports does.
 */
export interface JobEvents {
  /** Registers a job's `webhook_url` in the transaction that creates the job; its signing secret. */
  callback(
    db: Kysely<DatabaseSchema>,
    url: string,
    ownerKeyId: string,
  ): Promise<{ endpointId: string; secret: string }>;
  /** Publishes the end of a job in the transaction that records it. */
  ended(db: Kysely<DatabaseSchema>, job: EndedJob): Promise<void>;
}
