import type { ColumnType } from 'kysely';
import type {
  IdempotencyKeysTable,
  JobDeadLettersTable,
  JobItemsTable,
  JobsTable,
  QueueMessagesTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
  WebhookMessagesTable,
  WebhookNotificationsTable,
} from './job-webhook-tables.ts';

/**
 * Kysely's view of the tables. Read types are what either driver may hand back (see `dialect.ts`);
 * repositories decode them into plain domain objects, so nothing above them sees a dialect.
 */

/** Read: Date (pg) or ISO text (SQLite). Written as Date. */
export type NullableTimestamp = ColumnType<Date | string | null, Date | null | undefined, Date | null>;
/** Timestamp with a database default. */
export type CreatedAt = ColumnType<Date | string, Date | undefined, Date>;
/** JSON is always written and read as text (the pg pool leaves json unparsed). */
export type Json = ColumnType<string, string, string>;
export type NullableJson = ColumnType<string | null, string | null | undefined, string | null>;
export type JsonWithDefault = ColumnType<string, string | undefined, string>;
export type Bool = ColumnType<boolean | number, boolean | undefined, boolean>;
export type Num = ColumnType<number | string, number | undefined, number>;
export type NullableNum = ColumnType<number | string | null, number | null | undefined, number | null>;

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
  /** Null: the service-wide setting decides whether this key's prompts are stored. */
  store_prompts: ColumnType<boolean | number | null, boolean | null | undefined, boolean | null>;
  usage_reset_at: NullableTimestamp;
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
  request_options: NullableJson;
  schema_hash: string | null;
  schema_ref: string | null;
  template_ref: string | null;
  attempts: NullableJson;
  attempt_count: NullableNum;
  cache_key: string | null;
  saved_tokens: NullableNum;
  saved_cost_usd: NullableNum;
  erased_at: NullableTimestamp;
}

/** Hourly sums per key, provider, model, schema and template; `latency_le_*` is a histogram in ms. */
interface UsageRollupsTable {
  bucket_start: ColumnType<Date | string, Date, Date>;
  api_key_id: string;
  provider: string;
  model: string;
  schema_key: string;
  template_key: string;
  requests: Num;
  prompt_tokens: Num;
  completion_tokens: Num;
  cache_hits: Num;
  saved_tokens: Num;
  errors: Num;
  validation_failures: Num;
  first_attempt_passes: Num;
  latency_ms_sum: Num;
  latency_le_25: Num;
  latency_le_50: Num;
  latency_le_100: Num;
  latency_le_250: Num;
  latency_le_500: Num;
  latency_le_1000: Num;
  latency_le_2500: Num;
  latency_le_5000: Num;
  latency_le_10000: Num;
  latency_le_30000: Num;
  latency_le_60000: Num;
  latency_le_inf: Num;
  cost_usd: Num;
  saved_cost_usd: Num;
}

/** Open while the retention task deletes audit rows older than `purge_before` (see the triggers). */
interface AuditPurgePermitsTable {
  id: string;
  purge_before: ColumnType<Date | string, Date, Date>;
}

export interface SchemasTable {
  id: string;
  name: string;
  description: string | null;
  is_public: Bool;
  latest_version: Num;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: NullableTimestamp;
  tags: JsonWithDefault;
  is_library: Bool;
  latest_semver: string | null;
}

export interface SchemaVersionsTable {
  id: string;
  schema_id: string;
  /** Sequence number within the schema (1, 2, …); `semver` is the public version. */
  version: Num;
  description: string | null;
  schema_definition: Json;
  created_by: string | null;
  created_at: CreatedAt;
  semver: string | null;
  schema_hash: string | null;
  schema_text: string | null;
  examples: JsonWithDefault;
  changes: JsonWithDefault;
}

export interface TemplatesTable {
  id: string;
  name: string;
  description: string | null;
  is_public: Bool;
  tags: JsonWithDefault;
  owner_key_id: string | null;
  is_library: Bool;
  latest_version: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: NullableTimestamp;
}

export interface TemplateVersionsTable {
  id: string;
  template_id: string;
  version: string;
  template_text: string;
  parameters: JsonWithDefault;
  schema_ref: string | null;
  schema_version: string | null;
  defaults: JsonWithDefault;
  created_by: string | null;
  created_at: CreatedAt;
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
  templates: TemplatesTable;
  template_versions: TemplateVersionsTable;
  jobs: JobsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_messages: WebhookMessagesTable;
  job_items: JobItemsTable;
  job_dead_letters: JobDeadLettersTable;
  queue_messages: QueueMessagesTable;
  idempotency_keys: IdempotencyKeysTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_notifications: WebhookNotificationsTable;
  audit_logs: AuditLogsTable;
  usage_rollups: UsageRollupsTable;
  audit_purge_permits: AuditPurgePermitsTable;
}
