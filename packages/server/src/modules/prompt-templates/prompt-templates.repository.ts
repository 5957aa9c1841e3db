import { type Selectable, sql } from 'kysely';
import { AppError } from '../../errors/app-error.ts';
import { newId } from '../../lib/time-ordered-id.ts';
import type { Database } from '../../storage/database.ts';
import type { PromptTemplatesTable } from '../../storage/database-schema.ts';
import {
  fromJsonText,
  isUniqueViolation,
  isUuid,
  toBoolean,
  toDate,
  toDateOrNull,
  toJsonText,
  toJsonTextOrNull,
  toNumber,
  toNumberOrNull,
  uuidOrNull,
} from '../../storage/dialect.ts';
import { type OwnedResourceFilter, whereOwnedResource } from '../../storage/owned-resource-filter.ts';
import { fetchPage, type Page, type PageRequest } from '../../storage/pagination.ts';

/** One immutable version of a named template (each version is its own row). */
export interface PromptTemplateRecord {
  id: string;
  name: string;
  version: number;
  description: string | null;
  templateText: string;
  parameters: unknown[];
  exampleUsage: unknown;
  schemaId: string | null;
  schemaVersion: number | null;
  isPublic: boolean;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface NewPromptTemplate {
  templateText: string;
  description?: string | null;
  parameters?: unknown[];
  exampleUsage?: unknown;
  schemaId?: string | null;
  schemaVersion?: number | null;
  isPublic?: boolean;
  createdBy?: string | null;
  createdAt?: Date;
}

export interface PromptTemplateFilter extends OwnedResourceFilter {
  /** Only the newest version of each name (default true). */
  latestOnly?: boolean;
}

const versionRaceRetries = 3;

export class PromptTemplatesRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Version 1 of a new name. Throws AppError `conflict` when a live template has the name. */
  async create(name: string, input: NewPromptTemplate): Promise<PromptTemplateRecord> {
    if (await this.getByName(name))
      throw new AppError('conflict', `A template named "${name}" already exists.`);
    return this.#insertNextVersion(name, input);
  }

  /** The next version of an existing name; null when the name has no live template. */
  async addVersion(name: string, input: NewPromptTemplate): Promise<PromptTemplateRecord | null> {
    if (!(await this.getByName(name))) return null;
    return this.#insertNextVersion(name, input);
  }

  /** Latest version, or `name@version`. */
  async getByName(name: string, version?: number): Promise<PromptTemplateRecord | null> {
    let query = this.#live().where('name', '=', name);
    query =
      version === undefined
        ? query.orderBy('version', 'desc').limit(1)
        : query.where('version', '=', version);
    const row = await query.executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async getById(id: string): Promise<PromptTemplateRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.#live().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async listVersions(name: string): Promise<PromptTemplateRecord[]> {
    const rows = await this.#live().where('name', '=', name).orderBy('version', 'desc').execute();
    return rows.map(toRecord);
  }

  async list(filter: PromptTemplateFilter = {}, page: PageRequest = {}): Promise<Page<PromptTemplateRecord>> {
    let query = this.#live();
    if (filter.latestOnly ?? true) {
      query = query.where(
        'version',
        '=',
        sql<number>`(select max(t2.version) from prompt_templates t2
          where t2.name = prompt_templates.name and t2.deleted_at is null)`,
      );
    }
    query = whereOwnedResource(query, filter, this.#database.dialect);
    return fetchPage(query, { at: 'created_at', id: 'id' }, page, toRecord);
  }

  /** Metadata of every live version of the name; the text of a version never changes. */
  async update(
    name: string,
    patch: { description?: string | null; isPublic?: boolean },
    now: Date = new Date(),
  ): Promise<PromptTemplateRecord | null> {
    await this.#database.db
      .updateTable('prompt_templates')
      .set({
        updated_at: now,
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.isPublic !== undefined && { is_public: patch.isPublic }),
      })
      .where('name', '=', name)
      .where('deleted_at', 'is', null)
      .execute();
    return this.getByName(name);
  }

  async softDelete(name: string, now: Date = new Date()): Promise<boolean> {
    const result = await this.#database.db
      .updateTable('prompt_templates')
      .set({ deleted_at: now, updated_at: now })
      .where('name', '=', name)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * max(version)+1 over all rows of the name (deleted ones too, so a number is never reused). Two
   * concurrent writers may pick the same number; the unique index rejects one, which then retries.
   */
  async #insertNextVersion(name: string, input: NewPromptTemplate): Promise<PromptTemplateRecord> {
    const now = input.createdAt ?? new Date();
    for (let attempt = 0; ; attempt++) {
      try {
        const row = await this.#database.db
          .insertInto('prompt_templates')
          .values({
            id: newId(now.getTime()),
            name,
            version: sql<number>`(select coalesce(max(version), 0) + 1 from prompt_templates where name = ${name})`,
            description: input.description ?? null,
            template_text: input.templateText,
            parameters: toJsonText(input.parameters ?? []),
            example_usage: toJsonTextOrNull(input.exampleUsage),
            schema_id: uuidOrNull(input.schemaId),
            schema_version: input.schemaVersion ?? null,
            is_public: input.isPublic ?? false,
            created_by: uuidOrNull(input.createdBy),
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toRecord(row);
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= versionRaceRetries) throw error;
      }
    }
  }

  #live() {
    return this.#database.db.selectFrom('prompt_templates').selectAll().where('deleted_at', 'is', null);
  }
}

function toRecord(row: Selectable<PromptTemplatesTable>): PromptTemplateRecord {
  return {
    id: row.id,
    name: row.name,
    version: toNumber(row.version),
    description: row.description,
    templateText: row.template_text,
    parameters: fromJsonText<unknown[]>(row.parameters) ?? [],
    exampleUsage: fromJsonText(row.example_usage),
    schemaId: row.schema_id,
    schemaVersion: toNumberOrNull(row.schema_version),
    isPublic: toBoolean(row.is_public),
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    deletedAt: toDateOrNull(row.deleted_at),
  };
}
