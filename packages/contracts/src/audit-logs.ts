import { type Static, Type } from 'typebox';

export const AuditLogEntry = Type.Object({
  id: Type.String(),
  timestamp: Type.String({ format: 'date-time' }),
  event_type: Type.String({ examples: ['auth.failed'] }),
  actor_key_id: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  resource: Type.Union([Type.String(), Type.Null()]),
  result: Type.String({ examples: ['denied'] }),
  request_id: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditLogEntry = Static<typeof AuditLogEntry>;

export const AuditLogQuery = Type.Object({
  event_type: Type.Optional(Type.String({ maxLength: 64 })),
  key_id: Type.Optional(Type.String({ format: 'uuid' })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('jsonl')], { default: 'json' })),
});
export type AuditLogQuery = Static<typeof AuditLogQuery>;

export const AuditLogList = Type.Object({
  items: Type.Array(AuditLogEntry),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
