import type { ColumnType } from 'kysely';
import type {
  Bool,
  CreatedAt,
  Json,
  JsonWithDefault,
  NullableJson,
  NullableNum,
  NullableTimestamp,
  Num,
} from './database-schema.ts';

/** Tables of jobs and webhooks; see database-schema.ts for how columns are typed. */

export interface JobsTable {
  id: string;
  api_key_id: string | null;
  job_type: string;
  status: string;
  request_params: Json;
  result: NullableJson;
  error_message: string | null;
  webhook_url: string | null;
  webhook_status: string | null;
  idempotency_key: string | null;
  attempts: Num;
  run_after: CreatedAt;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  priority: ColumnType<string, string | undefined, string>;
  total_items: Num;
  cancelled_at: NullableTimestamp;
  webhook_endpoint_id: string | null;
}

export interface JobItemsTable {
  job_id: string;
  item_index: Num;
  request: Json;
  status: string;
  attempts: Num;
  run_after: CreatedAt;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  result: NullableJson;
  error: NullableJson;
  tokens: Num;
  cost_usd: Num;
  latency_ms: NullableNum;
  cached: Bool;
  updated_at: CreatedAt;
  completed_at: NullableTimestamp;
}

export interface JobDeadLettersTable {
  id: string;
  job_id: string;
  item_index: Num;
  api_key_id: string | null;
  attempts: Num;
  error: Json;
  created_at: CreatedAt;
  retried_at: NullableTimestamp;
}

export interface QueueMessagesTable {
  id: string;
  queue: string;
  message_key: string;
  priority: Num;
  payload: Json;
  run_after: ColumnType<Date | string, Date, Date>;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  deliveries: Num;
  created_at: CreatedAt;
}

export interface IdempotencyKeysTable {
  api_key_id: string;
  idempotency_key: string;
  fingerprint: string;
  status: string;
  response_status: NullableNum;
  response_headers: NullableJson;
  response_body: string | null;
  locked_until: NullableTimestamp;
  created_at: CreatedAt;
  expires_at: ColumnType<Date | string, Date, Date>;
}

export interface WebhookEndpointsTable {
  id: string;
  api_key_id: string;
  kind: string;
  url: string;
  description: string | null;
  event_types: JsonWithDefault;
  enabled: Bool;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: NullableTimestamp;
  failing_since: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: NullableTimestamp;
}

export interface WebhookMessagesTable {
  id: string;
  event_type: string;
  api_key_id: string | null;
  body: string;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: string;
  message_id: string;
  endpoint_id: string;
  status: string;
  attempts: Num;
  next_attempt_at: CreatedAt;
  locked_until: NullableTimestamp;
  last_status_code: NullableNum;
  last_error: string | null;
  last_response_body: string | null;
  last_latency_ms: NullableNum;
  last_attempt_at: NullableTimestamp;
  created_at: CreatedAt;
  delivered_at: NullableTimestamp;
}

export interface WebhookNotificationsTable {
  api_key_id: string;
  notification: string;
  created_at: CreatedAt;
}
