import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import { IdempotencyRepository } from '../../platform/idempotency/idempotency.repository.ts';
import type { JobQueue } from '../../platform/job-queue/job-queue.ts';
import type { Metrics } from '../../platform/observability/metrics.ts';
import type { Database } from '../../platform/storage/database.ts';
import type { AnalyzeService } from '../analyze/analyze.service.ts';
import type { ApiKeysRepository } from '../api-keys/api-keys.repository.ts';
import { DeadLettersRepository } from './dead-letters.repository.ts';
import type { JobEvents } from './job-events.ts';
import { JobItemsRepository } from './job-items.repository.ts';
import { JobMetrics } from './job-metrics.ts';
import { JobProcessor } from './job-processor.ts';
import { JobRunner } from './job-runner.ts';
import { JobsRepository } from './jobs.repository.ts';
import { JobsService } from './jobs.service.ts';

export interface JobsModuleDeps {
  config: Readonly<Config>;
  database: Database;
  queue: JobQueue;
  analyze: Pick<AnalyzeService, 'analyze'>;
  apiKeys: Pick<ApiKeysRepository, 'getById'>;
  metrics: Metrics;
  logger: Logger;
  /** Hears of job webhooks and of jobs that end (the webhook outbox). */
  events?: JobEvents;
}

/** The jobs feature's parts: the service the routes call, and a worker (started by whoever runs one). */
export interface JobsModule {
  service: JobsService;
  idempotency: IdempotencyRepository;
  createRunner(): JobRunner;
}

export function buildJobsModule(deps: JobsModuleDeps): JobsModule {
  const { config, database, queue, logger } = deps;
  const jobs = new JobsRepository(database, deps.events);
  const items = new JobItemsRepository(database);
  const idempotency = new IdempotencyRepository(database);
  const metrics = new JobMetrics(deps.metrics.registry, queue);
  const service = new JobsService({
    jobs,
    items,
    deadLetters: new DeadLettersRepository(database),
    queue,
    config: config.jobs,
    logger,
  });
  const createRunner = () => {
    const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const processor = new JobProcessor({
      workerId,
      jobs,
      items,
      apiKeys: deps.apiKeys,
      analyze: deps.analyze,
      metrics,
      logger,
      leaseMs: config.jobs.leaseMs,
      maxRetries: config.jobs.maxRetries,
      retryBaseMs: config.jobs.retryBaseMs,
    });
    return new JobRunner({
      workerId,
      queue,
      processor,
      jobs,
      items,
      idempotency,
      logger,
      concurrency: config.jobs.concurrency,
      leaseMs: config.jobs.leaseMs,
      requeueAfterMs: config.jobs.requeueAfterMs,
    });
  };
  return { service, idempotency, createRunner };
}
