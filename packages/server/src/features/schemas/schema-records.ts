import type { SchemaChange, SchemaExample } from '@structured-prompt/contracts';
import type { Selectable } from 'kysely';
import type { SchemasTable, SchemaVersionsTable } from '../../platform/storage/database-schema.ts';
import { fromJsonText, toBoolean, toDate, toDateOrNull, toNumber } from '../../platform/storage/dialect.ts';

export interface SchemaRecord {
  id: string;
  name: string;
  description: string | null;
  isPublic: boolean;
  /** Shipped with the service (owner: system). */
  isLibrary: boolean;
  tags: string[];
  /** The owning key; null for the library. */
  ownerKeyId: string | null;
  /** Semantic version of the latest version. */
  latestVersion: string;
  /** Sequence number of the latest version (1, 2, …): the optimistic lock of `addVersion`. */
  latestSequence: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface SchemaVersionRecord {
  id: string;
  schemaId: string;
  sequence: number;
  version: string;
  description: string | null;
  schema: unknown;
  /** Canonical SHA-256 of the body. */
  schemaHash: string;
  examples: SchemaExample[];
  changes: SchemaChange[];
  createdBy: string | null;
  createdAt: Date;
}

/** The body of one new version. */
export interface NewSchemaVersion {
  version: string;
  description?: string | null;
  schema: unknown;
  schemaHash: string;
  examples?: SchemaExample[];
  changes?: SchemaChange[];
  createdBy?: string | null;
}

export interface NewSchema {
  name: string;
  description?: string | null;
  isPublic?: boolean;
  isLibrary?: boolean;
  tags?: string[];
  ownerKeyId?: string | null;
  first: NewSchemaVersion;
}

export type SchemaPatch = Partial<Pick<SchemaRecord, 'description' | 'isPublic' | 'tags'>>;

export interface SchemaFilter {
  /** Only what this key may see: public schemas and its own. Undefined: everything (admin). */
  visibleTo?: string;
  /** Text in the name or description (case-insensitive). */
  text?: string;
  tag?: string;
  isPublic?: boolean;
  /** A key id, or null for the library's owner (system). */
  ownerKeyId?: string | null;
  isLibrary?: boolean;
  includeDeleted?: boolean;
}

export function toRecord(row: Selectable<SchemasTable>): SchemaRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isPublic: toBoolean(row.is_public),
    isLibrary: toBoolean(row.is_library),
    tags: fromJsonText<string[]>(row.tags) ?? [],
    ownerKeyId: row.created_by,
    latestVersion: row.latest_semver ?? '1.0.0',
    latestSequence: toNumber(row.latest_version),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    deletedAt: toDateOrNull(row.deleted_at),
  };
}

export function toVersion(row: Selectable<SchemaVersionsTable>): SchemaVersionRecord {
  return {
    id: row.id,
    schemaId: row.schema_id,
    sequence: toNumber(row.version),
    version: row.semver ?? `${toNumber(row.version)}.0.0`,
    description: row.description,
    schema: fromJsonText(row.schema_text ?? row.schema_definition),
    schemaHash: row.schema_hash ?? '',
    examples: fromJsonText<SchemaExample[]>(row.examples) ?? [],
    changes: fromJsonText<SchemaChange[]>(row.changes) ?? [],
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
  };
}
