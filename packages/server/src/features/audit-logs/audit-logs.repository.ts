import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../platform/storage/database.ts';
import type { AuditLogsTable } from '../../platform/storage/database-schema.ts';
import { fromJsonText, isUuid, toDate, toJsonText } from '../../platform/storage/dialect.ts';
import { fetchPage, type Page, type PageRequest } from '../../platform/storage/pagination.ts';

export interface AuditLogRecord {
  id: string;
  timestamp: Date;
  /** e.g. `auth.failed`, `key.created`, `key.revoked`, `input.suspicious`, `schema.deleted`. */
  eventType: string;
  actorKeyId: string | null;
  ip: string | null;
  /** What was acted on, e.g. `api_key:<id>` or `schema:<name>`. */
  resource: string | null;
  details: Record<string, unknown>;
  /** e.g. `success`, `failure`, `denied`, `flagged`. */
  result: string;
  requestId: string | null;
}

export type NewAuditLog = Pick<AuditLogRecord, 'eventType' | 'result'> &
  Partial<Omit<AuditLogRecord, 'eventType' | 'result'>>;

export interface AuditLogFilter {
  eventType?: string;
  actorKeyId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** Append-only by design: there is deliberately no update or delete here. */
export class AuditLogsRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async insert(entry: NewAuditLog): Promise<AuditLogRecord> {
    const timestamp = entry.timestamp ?? new Date();
    const row = await this.#database.db
      .insertInto('audit_logs')
      .values({
        id: entry.id ?? uuidv7({ msecs: timestamp.getTime() }),
        timestamp,
        event_type: entry.eventType,
        // A malformed id (e.g. from a failed login) is kept in details, never in the uuid column.
        actor_key_id: entry.actorKeyId && isUuid(entry.actorKeyId) ? entry.actorKeyId : null,
        ip: entry.ip ?? null,
        resource: entry.resource ?? null,
        details: toJsonText(entry.details ?? {}),
        result: entry.result,
        request_id: entry.requestId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async list(filter: AuditLogFilter = {}, page: PageRequest = {}): Promise<Page<AuditLogRecord>> {
    let query = this.#database.db.selectFrom('audit_logs').selectAll();
    if (filter.eventType !== undefined) query = query.where('event_type', '=', filter.eventType);
    if (filter.actorKeyId !== undefined) {
      if (!isUuid(filter.actorKeyId)) return { items: [], nextCursor: null };
      query = query.where('actor_key_id', '=', filter.actorKeyId);
    }
    if (filter.from) query = query.where('timestamp', '>=', filter.from);
    if (filter.to) query = query.where('timestamp', '<', filter.to);
    return fetchPage(query, { at: 'timestamp', id: 'id' }, page, toRecord);
  }
}

function toRecord(row: Selectable<AuditLogsTable>): AuditLogRecord {
  return {
    id: row.id,
    timestamp: toDate(row.timestamp),
    eventType: row.event_type,
    actorKeyId: row.actor_key_id,
    ip: row.ip,
    resource: row.resource,
    details: fromJsonText<Record<string, unknown>>(row.details) ?? {},
    result: row.result,
    requestId: row.request_id,
  };
}
