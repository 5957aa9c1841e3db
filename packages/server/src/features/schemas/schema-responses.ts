import type { SchemaSummary, SchemaVersion, TargetPreflight } from '@structured-prompt/contracts';
import type { SchemaRecord, SchemaVersionRecord } from './schema-records.ts';

/** The public shape of a schema's metadata. */
export function toSchemaSummary(record: SchemaRecord): SchemaSummary {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    visibility: record.isPublic ? 'public' : 'private',
    tags: record.tags,
    library: record.isLibrary,
    owner: record.ownerKeyId,
    latest_version: record.latestVersion,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
    deleted_at: record.deletedAt ? record.deletedAt.toISOString() : null,
  };
}

/** The public shape of one version, with its compile report when there is one. */
export function toSchemaVersion(
  record: SchemaRecord,
  version: SchemaVersionRecord,
  preflight?: TargetPreflight[],
): SchemaVersion {
  return {
    schema_id: record.id,
    name: record.name,
    version: version.version,
    description: version.description,
    schema: version.schema,
    examples: version.examples,
    changes: version.changes,
    created_by: version.createdBy,
    created_at: version.createdAt.toISOString(),
    ...(preflight ? { preflight } : {}),
  };
}
