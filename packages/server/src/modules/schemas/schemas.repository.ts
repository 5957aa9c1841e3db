import { type Selectable, sql } from 'kysely';
import { AppError } from '../../errors/app-error.ts';
import { newId } from '../../lib/time-ordered-id.ts';
import type { Database } from '../../storage/database.ts';
import type { SchemasTable, SchemaVersionsTable } from '../../storage/database-schema.ts';
import {
  fromJsonText,
  isUniqueViolation,
  isUuid,
  toBoolean,
  toDate,
  toDateOrNull,
  toJsonText,
  toNumber,
  uuidOrNull,
} from '../../storage/dialect.ts';
import { type OwnedResourceFilter, whereOwnedResource } from '../../storage/owned-resource-filter.ts';
import { fetchPage, type Page, type PageRequest } from '../../storage/pagination.ts';

export interface SchemaRecord {
  id: string;
  name: string;
  description: string | null;
  isPublic: boolean;
  latestVersion: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** One immutable version of a named schema. */
export interface SchemaVersionRecord {
  id: string;
  schemaId: string;
  name: string;
  version: number;
  description: string | null;
  definition: unknown;
  createdBy: string | null;
  createdAt: Date;
}

export interface NewSchema {
  name: string;
  definition: unknown;
  description?: string | null;
  isPublic?: boolean;
  createdBy?: string | null;
  createdAt?: Date;
}

export interface NewSchemaVersion {
  definition: unknown;
  description?: string | null;
  createdBy?: string | null;
  createdAt?: Date;
}

export type SchemaFilter = OwnedResourceFilter;

export class SchemasRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Registers a name with its version 1. Throws AppError `conflict` when the name is taken. */
  async create(input: NewSchema): Promise<{ schema: SchemaRecord; version: SchemaVersionRecord }> {
    const now = input.createdAt ?? new Date();
    try {
      return await this.#database.db.transaction().execute(async (trx) => {
        const schema = await trx
          .insertInto('schemas')
          .values({
            id: newId(now.getTime()),
            name: input.name,
            description: input.description ?? null,
            is_public: input.isPublic ?? false,
            latest_version: 1,
            created_by: uuidOrNull(input.createdBy),
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const version = await trx
          .insertInto('schema_versions')
          .values(versionRow(schema.id, 1, input, now))
          .returningAll()
          .executeTakeFirstOrThrow();
        return { schema: toSchema(schema), version: toVersion(version, schema.name) };
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', `A schema named "${input.name}" already exists.`);
      throw error;
    }
  }

  /**
   * Appends the next version. The counter is bumped with one UPDATE, which serialises concurrent
   * writers on the schema row, so two callers always get distinct version numbers.
   */
  async addVersion(name: string, input: NewSchemaVersion): Promise<SchemaVersionRecord | null> {
    const now = input.createdAt ?? new Date();
    return this.#database.db.transaction().execute(async (trx) => {
      const bumped = await trx
        .updateTable('schemas')
        .set({ latest_version: sql`latest_version + 1`, updated_at: now })
        .where('name', '=', name)
        .where('deleted_at', 'is', null)
        .returning(['id', 'latest_version'])
        .executeTakeFirst();
      if (!bumped) return null;
      const version = await trx
        .insertInto('schema_versions')
        .values(versionRow(bumped.id, toNumber(bumped.latest_version), input, now))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVersion(version, name);
    });
  }

  async getByName(name: string): Promise<SchemaRecord | null> {
    const row = await this.#live().where('name', '=', name).executeTakeFirst();
    return row ? toSchema(row) : null;
  }

  async getById(id: string): Promise<SchemaRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#live().where('id', '=', id).executeTakeFirst();
    return row ? toSchema(row) : null;
  }

  /** `name@version`, or the latest version when `version` is omitted. */
  async getVersion(name: string, version?: number): Promise<SchemaVersionRecord | null> {
    const row = await this.#database.db
      .selectFrom('schema_versions as v')
      .innerJoin('schemas as s', 's.id', 'v.schema_id')
      .selectAll('v')
      .where('s.name', '=', name)
      .where('s.deleted_at', 'is', null)
      .where('v.version', '=', version ?? sql<number>`s.latest_version`)
      .executeTakeFirst();
    return row ? toVersion(row, name) : null;
  }

  /** Every version of a schema, newest first. */
  async listVersions(name: string): Promise<SchemaVersionRecord[]> {
    const rows = await this.#database.db
      .selectFrom('schema_versions as v')
      .innerJoin('schemas as s', 's.id', 'v.schema_id')
      .selectAll('v')
      .where('s.name', '=', name)
      .where('s.deleted_at', 'is', null)
      .orderBy('v.version', 'desc')
      .execute();
    return rows.map((row) => toVersion(row, name));
  }

  async list(filter: SchemaFilter = {}, page: PageRequest = {}): Promise<Page<SchemaRecord>> {
    let query = this.#live();
    query = whereOwnedResource(query, filter, this.#database.dialect);
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toSchema);
  }

  /** Only metadata changes; a definition change is a new version (`addVersion`). */
  async update(
    name: string,
    patch: { description?: string | null; isPublic?: boolean },
    now: Date = new Date(),
  ): Promise<SchemaRecord | null> {
    const row = await this.#database.db
      .updateTable('schemas')
      .set({
        updated_at: now,
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.isPublic !== undefined && { is_public: patch.isPublic }),
      })
      .where('name', '=', name)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toSchema(row) : null;
  }

  /** Hides the schema and frees its name; versions stay for requests logged against them. */
  async softDelete(name: string, now: Date = new Date()): Promise<boolean> {
    const result = await this.#database.db
      .updateTable('schemas')
      .set({ deleted_at: now, updated_at: now })
      .where('name', '=', name)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  #live() {
    return this.#database.db.selectFrom('schemas').selectAll().where('deleted_at', 'is', null);
  }
}

function versionRow(schemaId: string, version: number, input: NewSchemaVersion, now: Date) {
  return {
    id: newId(now.getTime()),
    schema_id: schemaId,
    version,
    description: input.description ?? null,
    schema_definition: toJsonText(input.definition),
    created_by: uuidOrNull(input.createdBy),
    created_at: now,
  };
}

function toSchema(row: Selectable<SchemasTable>): SchemaRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isPublic: toBoolean(row.is_public),
    latestVersion: toNumber(row.latest_version),
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    deletedAt: toDateOrNull(row.deleted_at),
  };
}

function toVersion(row: Selectable<SchemaVersionsTable>, name: string): SchemaVersionRecord {
  return {
    id: row.id,
    schemaId: row.schema_id,
    name,
    version: toNumber(row.version),
    description: row.description,
    definition: fromJsonText(row.schema_definition),
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
  };
}
