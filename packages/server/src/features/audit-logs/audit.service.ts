import type { Logger } from 'pino';
import type { AuditLogRecord, AuditLogsRepository, NewAuditLog } from './audit-logs.repository.ts';

export interface AuditEvent {
  eventType: string;
  result: 'success' | 'failure' | 'denied' | 'flagged' | 'warning';
  actorKeyId?: string | null;
  ip?: string | null;
  resource?: string | null;
  requestId?: string | null;
  /** Never secrets: callers pass reasons, ids and limits, not keys or prompts. */
  details?: Record<string, unknown>;
}

/**
 * Writes security events. Recording never fails the request that triggered it: a write error is
 * logged (with the event, minus nothing secret, since events carry no secrets) and the request goes
 * on. `close()` waits for writes still in flight.
 */
export class AuditService {
  readonly #repository: AuditLogsRepository;
  readonly #logger: Logger;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(repository: AuditLogsRepository, logger: Logger) {
    this.#repository = repository;
    this.#logger = logger;
  }

  record(event: AuditEvent): void {
    const entry: NewAuditLog = { ...event, details: event.details ?? {} };
    const write = this.#repository
      .insert(entry)
      .catch((error: unknown) => this.#logger.error({ err: error, audit: event }, 'audit log write failed'))
      .finally(() => this.#pending.delete(write));
    this.#pending.add(write);
  }

  /** Waits until every recorded event has been written (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  list(
    ...args: Parameters<AuditLogsRepository['list']>
  ): Promise<Awaited<ReturnType<AuditLogsRepository['list']>>> {
    return this.#repository.list(...args);
  }
}

export type { AuditLogRecord };
