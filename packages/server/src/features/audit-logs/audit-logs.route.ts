import { AuditLogList, AuditLogQuery } from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import type { AuditLogRecord, AuditService } from './audit.service.ts';

function toEntry(record: AuditLogRecord) {
  return {
    id: record.id,
    timestamp: record.timestamp.toISOString(),
    event_type: record.eventType,
    actor_key_id: record.actorKeyId,
    ip: record.ip,
    resource: record.resource,
    result: record.result,
    request_id: record.requestId,
    details: record.details,
  };
}

/** Read-only by design: there is no route that changes or deletes an audit row. */
export function auditLogsRoutes(app: AppInstance, audit: AuditService): void {
  app.get(
    '/v1/audit-logs',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Read the audit log',
        description:
          'Security events (authentication failures with reason, key changes, limit and budget violations, ' +
          'suspicious input, admin actions), newest first. Filter by type, key and time range; page with ' +
          '`cursor`. `format=jsonl` answers one JSON object per line (application/x-ndjson) for export.',
        tags: ['audit-logs'],
        security: apiKeySecurity,
        querystring: AuditLogQuery,
        response: {
          200: {
            description: 'A page of entries (JSON), or the same entries as JSON lines',
            content: {
              'application/json': { schema: AuditLogList },
              'application/x-ndjson': { schema: { type: 'string' } },
            },
          },
          ...problemResponses(400, 401, 403, 429, 500),
        },
      },
    },
    async (request, reply) => {
      const { query } = request;
      const page = await audit.list(
        {
          eventType: query.event_type,
          actorKeyId: query.key_id,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        },
        { limit: query.limit, cursor: query.cursor },
      );
      const items = page.items.map(toEntry);
      if (query.format === 'jsonl') {
        if (page.nextCursor) reply.header('x-next-cursor', page.nextCursor);
        return reply
          .type('application/x-ndjson')
          .send(items.map((item) => JSON.stringify(item)).join('\n') + (items.length ? '\n' : ''));
      }
      return reply.type('application/json').send({ items, next_cursor: page.nextCursor });
    },
  );
}
