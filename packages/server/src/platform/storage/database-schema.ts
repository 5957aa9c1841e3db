import type { ColumnType } from 'kysely';

/**
 * Kysely's view of the tables. Read types are what either driver may hand back (see `dialect.ts`);
 * repositories decode them into plain domain objects, so nothing above them sees a dialect.
 */

/** Read: Date (pg) or ISO text (SQLite). Written as Date. */
type NullableTimestamp = ColumnType<Date | string | null, Date | null | undefined, Date | null>;
/** Timestamp with a database default. */
type CreatedAt = ColumnType<Date | string, Date | undefined, Date>;
/** JSON is always written and read as text (the pg pool leaves json unparsed). */
type Json = ColumnType<string, string, string>;
type NullableJson = ColumnType<string | null, string | null | undefined, string | null>;
type JsonWithDefault = ColumnType<string, string | undefined, string>;
type Bool = ColumnType<boolean | number, boolean | undefined, boolean>;
type Num = ColumnType<number | string, number | undefined, number>;
type NullableNum = ColumnType<number | string | null, number | null | undefined, number | null>;

export interface ApiKeysTable {
  id: string;
  key_hash: string;
  key_prefix: string;
  name: string;
  team: string | null;
  scopes: JsonWithDefault;
  rate_limit_per_hour: Num;
  tokens_per_minute: NullableNum;
  monthly_budget_usd: NullableNum;
  suspicious_input_policy: string | null;
  is_active: Bool;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  previous_key_hash: string | null;
  previous_key_valid_until: NullableTimestamp;
}

export interface RequestLogsTable {
  id: string;
  request_id: string;
  api_key_id: string | null;
  prompt_text: string | null;
  prompt_length: Num;
  request_params: NullableJson;
  response_data: NullableJson;
  validation_status: string;
  provider_used: string | null;
  model: string | null;
  processing_time_ms: Num;
  tokens_used: Num;
  prompt_tokens: Num;
  completion_tokens: Num;
  cost_usd: Num;
  confidence: NullableNum;
  cached: Bool;
  error_message: string | null;
  created_at: CreatedAt;
}

interface SchemasTable {
  id: string;
  name: string;
  description: string | null;
  is_public: Bool;
  latest_version: Num;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: NullableTimestamp;
}

interface SchemaVersionsTable {
  id: string;
  schema_id: string;
  version: Num;
  description: string | null;
  schema_definition: Json;
  created_by: string | null;
  created_at: CreatedAt;
}

interface PromptTemplatesTable {
  id: string;
  name: string;
  version: Num;
  description: string | null;
  template_text: string;
  parameters: JsonWithDefault;
  example_usage: NullableJson;
  schema_id: string | null;
  schema_version: NullableNum;
  is_public: Bool;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: NullableTimestamp;
}

interface JobsTable {
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
}

interface JobItemsTable {
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

interface JobDeadLettersTable {
  id: string;
  job_id: string;
  item_index: Num;
  api_key_id: string | null;
  attempts: Num;
  error: Json;
  created_at: CreatedAt;
  retried_at: NullableTimestamp;
}

interface QueueMessagesTable {
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

interface IdempotencyKeysTable {
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

interface WebhookDeliveriesTable {
  id: string;
  job_id: string;
  url: string;
  event_type: string;
  payload: Json;
  status: string;
  attempts: Num;
  next_attempt_at: CreatedAt;
  last_status_code: NullableNum;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: NullableTimestamp;
}

export interface AuditLogsTable {
  id: string;
  timestamp: CreatedAt;
  event_type: string;
  actor_key_id: string | null;
  ip: string | null;
  resource: string | null;
  details: JsonWithDefault;
  result: string;
  request_id: string | null;
}

export interface DatabaseSchema {
  api_keys: ApiKeysTable;
  request_logs: RequestLogsTable;
  schemas: SchemasTable;
  schema_versions: SchemaVersionsTable;
  prompt_templates: PromptTemplatesTable;
  jobs: JobsTable;
  job_items: JobItemsTable;
  job_dead_letters: JobDeadLettersTable;
  queue_messages: QueueMessagesTable;
  idempotency_keys: IdempotencyKeysTable;
  webhook_deliveries: WebhookDeliveriesTable;
  audit_logs: AuditLogsTable;
}
