import { type Kysely, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../lib/app-error.ts';
import type { Database } from '../../platform/storage/database.ts';
import type { DatabaseSchema } from '../../platform/storage/database-schema.ts';
import {
  containsText,
  isUniqueViolation,
  isUuid,
  jsonArrayContains,
  toJsonText,
  toNumber,
} from '../../platform/storage/dialect.ts';
import { fetchPage, type Page, type PageRequest } from '../../platform/storage/pagination.ts';
import {
  type NewSchema,
  type NewSchemaVersion,
  type SchemaFilter,
  type SchemaPatch,
  type SchemaRecord,
  type SchemaVersionRecord,
  toRecord,
  toVersion,
} from './schema-records.ts';

type Db = Kysely<DatabaseSchema>;

/** Schemas and their immutable versions, on SQLite and PostgreSQL alike. */
export class SchemasRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** A schema with its first version. Throws AppError `conflict` when a live schema has the name. */
  async create(
    input: NewSchema,
    now: Date = new Date(),
  ): Promise<{ record: SchemaRecord; version: SchemaVersionRecord }> {
    const [created] = await this.createMany([input], now);
    return created!;
  }

  /**
   * Several schemas with their first versions, all or none (the library seed). Throws AppError
   * `conflict` when a live schema has one of the names.
   */
  async createMany(
    inputs: readonly NewSchema[],
    now: Date = new Date(),
  ): Promise<Array<{ record: SchemaRecord; version: SchemaVersionRecord }>> {
    try {
      return await this.#database.db.transaction().execute(async (trx) => {
        const created = [];
        for (const input of inputs) created.push(await insertSchema(trx, input, now));
        return created;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const names = inputs.map((input) => `"${input.name}"`).join(', ');
      throw new AppError('conflict', `A schema named ${names} already exists.`);
    }
  }

  /** By id, deleted or not. */
  async getById(id: string): Promise<SchemaRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .selectFrom('schemas')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** The live schema of that name. */
  async getByName(name: string): Promise<SchemaRecord | null> {
    const row = await this.#database.db
      .selectFrom('schemas')
      .selectAll()
      .where('name', '=', name)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(filter: SchemaFilter = {}, page: PageRequest = {}): Promise<Page<SchemaRecord>> {
    const { dialect } = this.#database;
    let query = this.#database.db.selectFrom('schemas').selectAll();
    if (!filter.includeDeleted) query = query.where('deleted_at', 'is', null);
    if (filter.visibleTo !== undefined) {
      const key = filter.visibleTo;
      query = query.where((eb) => eb.or([eb('is_public', '=', true), eb('created_by', '=', key)]));
    }
    if (filter.isPublic !== undefined) query = query.where('is_public', '=', filter.isPublic);
    if (filter.isLibrary !== undefined) query = query.where('is_library', '=', filter.isLibrary);
    if (filter.ownerKeyId === null) query = query.where('created_by', 'is', null);
    else if (filter.ownerKeyId !== undefined) query = query.where('created_by', '=', filter.ownerKeyId);
    if (filter.tag !== undefined)
      query = query.where(jsonArrayContains(dialect, sql.ref('tags'), filter.tag));
    if (filter.text) {
      const text = filter.text;
      query = query.where((eb) =>
        eb.or([
          containsText(dialect, sql.ref('name'), text),
          containsText(dialect, sql.ref('description'), text),
        ]),
      );
    }
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toRecord);
  }

  async update(id: string, patch: SchemaPatch, now: Date = new Date()): Promise<SchemaRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .updateTable('schemas')
      .set({
        updated_at: now,
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.isPublic !== undefined && { is_public: patch.isPublic }),
        ...(patch.tags !== undefined && { tags: toJsonText(patch.tags) }),
      })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Marks the schema deleted (its name becomes free); its versions stay readable. Idempotent. */
  async softDelete(id: string, now: Date = new Date()): Promise<SchemaRecord | null> {
    if (!isUuid(id)) return null;
    await this.#database.db
      .updateTable('schemas')
      .set({ deleted_at: now, updated_at: now })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .execute();
    return this.getById(id);
  }

  /**
   * Publishes the next version. `afterSequence` is the latest sequence the caller saw: when another
   * version was published in between, or the version number is taken, this throws AppError `conflict`.
   */
  async addVersion(
    schemaId: string,
    afterSequence: number,
    input: NewSchemaVersion,
    now: Date = new Date(),
  ): Promise<SchemaVersionRecord> {
    try {
      return await this.#database.db.transaction().execute(async (trx) => {
        const moved = await trx
          .updateTable('schemas')
          .set({ latest_version: afterSequence + 1, latest_semver: input.version, updated_at: now })
          .where('id', '=', schemaId)
          .where('latest_version', '=', afterSequence)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (toNumber(moved.numUpdatedRows) !== 1) throw concurrentChange();
        return insertVersion(trx, schemaId, afterSequence + 1, input, now);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw concurrentChange();
      throw error;
    }
  }

  async getVersion(schemaId: string, version: string): Promise<SchemaVersionRecord | null> {
    if (!isUuid(schemaId)) return null;
    const row = await this.#database.db
      .selectFrom('schema_versions')
      .selectAll()
      .where('schema_id', '=', schemaId)
      .where('semver', '=', version)
      .executeTakeFirst();
    return row ? toVersion(row) : null;
  }

  /** Versions of a schema, newest first. */
  listVersions(schemaId: string, page: PageRequest = {}): Promise<Page<SchemaVersionRecord>> {
    const query = this.#database.db
      .selectFrom('schema_versions')
      .selectAll()
      .where('schema_id', '=', schemaId);
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toVersion);
  }

  /**
   * Every live library schema with the hashes of all its versions, by name: the seed publishes a
   * shipped body only when no version ever had it, so an admin's later version is not undone.
   */
  async libraryState(): Promise<Map<string, { record: SchemaRecord; hashes: Set<string> }>> {
    const rows = await this.#database.db
      .selectFrom('schemas')
      .leftJoin('schema_versions', 'schema_versions.schema_id', 'schemas.id')
      .selectAll('schemas')
      .select('schema_versions.schema_hash as version_hash')
      .where('schemas.is_library', '=', true)
      .where('schemas.deleted_at', 'is', null)
      .execute();
    const state = new Map<string, { record: SchemaRecord; hashes: Set<string> }>();
    for (const row of rows) {
      const entry = state.get(row.name) ?? { record: toRecord(row), hashes: new Set<string>() };
      if (row.version_hash) entry.hashes.add(row.version_hash);
      state.set(row.name, entry);
    }
    return state;
  }
}

async function insertSchema(
  trx: Db,
  input: NewSchema,
  now: Date,
): Promise<{ record: SchemaRecord; version: SchemaVersionRecord }> {
  const id = uuidv7({ msecs: now.getTime() });
  const row = await trx
    .insertInto('schemas')
    .values({
      id,
      name: input.name,
      description: input.description ?? null,
      is_public: input.isPublic ?? false,
      is_library: input.isLibrary ?? false,
      tags: toJsonText(input.tags ?? []),
      latest_version: 1,
      latest_semver: input.first.version,
      created_by: input.ownerKeyId ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { record: toRecord(row), version: await insertVersion(trx, id, 1, input.first, now) };
}

async function insertVersion(
  trx: Db,
  schemaId: string,
  sequence: number,
  input: NewSchemaVersion,
  now: Date,
): Promise<SchemaVersionRecord> {
  const row = await trx
    .insertInto('schema_versions')
    .values({
      id: uuidv7({ msecs: now.getTime() }),
      schema_id: schemaId,
      version: sequence,
      semver: input.version,
      description: input.description ?? null,
      schema_definition: toJsonText(input.schema),
      schema_hash: input.schemaHash,
      schema_text: JSON.stringify(input.schema),
      examples: toJsonText(input.examples ?? []),
      changes: toJsonText(input.changes ?? []),
      created_by: input.createdBy ?? null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toVersion(row);
}

const concurrentChange = () =>
  new AppError(
    'conflict',
    'The schema changed while this version was being published, or the version exists; retry.',
  );
