import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../lib/app-error.ts';
import type { Database } from '../../platform/storage/database.ts';
import {
  containsText,
  isUniqueViolation,
  isUuid,
  jsonArrayContains,
  toJsonText,
} from '../../platform/storage/dialect.ts';
import { fetchPage, type Page, type PageRequest } from '../../platform/storage/pagination.ts';
import { toTemplate, toVersion, versionRow } from './template-rows.ts';
import type { VersionContent } from './template-versioning.ts';

export interface TemplateRecord {
  id: string;
  name: string;
  description: string | null;
  isPublic: boolean;
  tags: string[];
  /** Null: the built-in library. */
  ownerKeyId: string | null;
  isLibrary: boolean;
  latestVersion: string;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface TemplateVersionRecord {
  id: string;
  templateId: string;
  version: string;
  content: VersionContent;
  createdBy: string | null;
  createdAt: Date;
}

export interface NewTemplate {
  name: string;
  description?: string | null;
  isPublic?: boolean;
  tags?: string[];
  ownerKeyId: string | null;
  isLibrary?: boolean;
  version: string;
  content: VersionContent;
  createdAt?: Date;
}

export type TemplatePatch = Partial<Pick<TemplateRecord, 'name' | 'description' | 'isPublic' | 'tags'>>;

export interface TemplateFilter {
  /** Only what this key may see: its own, public and library templates (admins see every one). */
  visibleTo?: { keyId: string; isAdmin: boolean };
  ownerKeyId?: string;
  library?: boolean;
  isPublic?: boolean;
  tag?: string;
  /** Case-insensitive substring of the name or description. */
  search?: string;
}

const nameTaken = () => new AppError('conflict', 'A template with this name already exists.');

/** Templates and their immutable versions, the same on SQLite and PostgreSQL. */
export class TemplatesRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** The template and its first version, together or not at all. 409 when the name is taken. */
  async create(input: NewTemplate): Promise<{ template: TemplateRecord; version: TemplateVersionRecord }> {
    const now = input.createdAt ?? new Date();
    const id = uuidv7({ msecs: now.getTime() });
    try {
      return await this.#database.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('templates')
          .values({
            id,
            name: input.name,
            description: input.description ?? null,
            is_public: input.isPublic ?? false,
            tags: toJsonText(input.tags ?? []),
            owner_key_id: input.ownerKeyId,
            is_library: input.isLibrary ?? false,
            latest_version: input.version,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const version = await trx
          .insertInto('template_versions')
          .values(versionRow(id, input.version, input.content, input.ownerKeyId, now))
          .returningAll()
          .executeTakeFirstOrThrow();
        return { template: toTemplate(row), version: toVersion(version) };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken();
      throw error;
    }
  }

  /** A live template by id or by name. */
  async findLive(ref: string): Promise<TemplateRecord | null> {
    const row = await this.#database.db
      .selectFrom('templates')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where(isUuid(ref) ? 'id' : 'name', '=', ref)
      .executeTakeFirst();
    return row ? toTemplate(row) : null;
  }

  async getVersion(templateId: string, version: string): Promise<TemplateVersionRecord | null> {
    if (!isUuid(templateId)) return null;
    const row = await this.#database.db
      .selectFrom('template_versions')
      .selectAll()
      .where('template_id', '=', templateId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? toVersion(row) : null;
  }

  /** The latest version of each of these templates, in one query, by template id. */
  async latestVersions(templates: readonly TemplateRecord[]): Promise<Map<string, TemplateVersionRecord>> {
    if (templates.length === 0) return new Map();
    const rows = await this.#database.db
      .selectFrom('template_versions as v')
      .innerJoin('templates as t', (join) =>
        join.onRef('t.id', '=', 'v.template_id').onRef('t.latest_version', '=', 'v.version'),
      )
      .selectAll('v')
      .where(
        't.id',
        'in',
        templates.map((template) => template.id),
      )
      .execute();
    return new Map(rows.map((row) => [row.template_id, toVersion(row)]));
  }

  /** Every version, newest first. */
  async listVersions(templateId: string): Promise<TemplateVersionRecord[]> {
    if (!isUuid(templateId)) return [];
    const rows = await this.#database.db
      .selectFrom('template_versions')
      .selectAll()
      .where('template_id', '=', templateId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toVersion);
  }

  async list(filter: TemplateFilter = {}, page: PageRequest = {}): Promise<Page<TemplateRecord>> {
    const { dialect } = this.#database;
    let query = this.#database.db.selectFrom('templates').selectAll().where('deleted_at', 'is', null);
    const viewer = filter.visibleTo;
    if (viewer && !viewer.isAdmin) {
      query = query.where((eb) => eb.or([eb('is_public', '=', true), eb('owner_key_id', '=', viewer.keyId)]));
    }
    if (filter.ownerKeyId !== undefined) query = query.where('owner_key_id', '=', filter.ownerKeyId);
    if (filter.library !== undefined) query = query.where('is_library', '=', filter.library);
    if (filter.isPublic !== undefined) query = query.where('is_public', '=', filter.isPublic);
    if (filter.tag !== undefined)
      query = query.where(jsonArrayContains(dialect, sql.ref('tags'), filter.tag));
    const search = filter.search;
    if (search) {
      query = query.where((eb) =>
        eb.or([
          containsText(dialect, sql.ref('name'), search),
          containsText(dialect, sql.ref('description'), search),
        ]),
      );
    }
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toTemplate);
  }

  /** Null when there is no live template with this id; 409 when a new name is taken. */
  async updateMetadata(id: string, patch: TemplatePatch, now = new Date()): Promise<TemplateRecord | null> {
    if (!isUuid(id)) return null;
    try {
      const row = await this.#database.db
        .updateTable('templates')
        .set({
          updated_at: now,
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.description !== undefined && { description: patch.description }),
          ...(patch.isPublic !== undefined && { is_public: patch.isPublic }),
          ...(patch.tags !== undefined && { tags: toJsonText(patch.tags) }),
        })
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row ? toTemplate(row) : null;
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken();
      throw error;
    }
  }

  /**
   * Publishes a version and makes it the latest, provided the latest is still `expectedLatest` (two
   * concurrent publishers cannot both win). 409 otherwise, or when the version exists.
   */
  async addVersion(input: {
    templateId: string;
    expectedLatest: string;
    version: string;
    content: VersionContent;
    createdBy: string | null;
    createdAt?: Date;
  }): Promise<TemplateVersionRecord> {
    const now = input.createdAt ?? new Date();
    const raced = () =>
      new AppError('conflict', 'The template changed meanwhile; read it again and retry.', {
        isRetryable: true,
      });
    try {
      return await this.#database.db.transaction().execute(async (trx) => {
        const moved = await trx
          .updateTable('templates')
          .set({ latest_version: input.version, updated_at: now })
          .where('id', '=', input.templateId)
          .where('latest_version', '=', input.expectedLatest)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw raced();
        const row = await trx
          .insertInto('template_versions')
          .values(versionRow(input.templateId, input.version, input.content, input.createdBy, now))
          .returningAll()
          .executeTakeFirstOrThrow();
        return toVersion(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw raced();
      throw error;
    }
  }

  /** Soft delete: versions stay readable for logs that name them. Null when not live. */
  async softDelete(id: string, now = new Date()): Promise<TemplateRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#database.db
      .updateTable('templates')
      .set({ deleted_at: now, updated_at: now })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toTemplate(row) : null;
  }
}
