import { type SelectQueryBuilder, sql } from 'kysely';
import type { DatabaseSchema } from './database-schema.ts';
import { containsText, type DialectName, uuidOrNull } from './dialect.ts';

/** How lists of key-owned, optionally public resources (schemas, prompt templates) are filtered. */
export interface OwnedResourceFilter {
  isPublic?: boolean;
  createdBy?: string;
  /** Public resources plus those created by this key. */
  visibleTo?: string;
  /** Case-insensitive substring of the name. */
  nameContains?: string;
}

type OwnedTable = 'schemas' | 'prompt_templates';

/**
 * Applies the filter to a query over one of the owned tables. A malformed key id becomes null, so it
 * matches nothing instead of failing PostgreSQL's uuid cast.
 */
export function whereOwnedResource<TB extends OwnedTable, O>(
  query: SelectQueryBuilder<DatabaseSchema, TB, O>,
  filter: OwnedResourceFilter,
  dialect: DialectName,
): SelectQueryBuilder<DatabaseSchema, TB, O> {
  let filtered = query;
  const isPublic = sql.ref<boolean>('is_public');
  const createdBy = sql.ref<string | null>('created_by');
  if (filter.isPublic !== undefined) filtered = filtered.where(isPublic, '=', filter.isPublic);
  if (filter.createdBy !== undefined) filtered = filtered.where(createdBy, '=', uuidOrNull(filter.createdBy));
  if (filter.visibleTo !== undefined) {
    const key = uuidOrNull(filter.visibleTo);
    filtered = filtered.where((eb) => eb.or([eb(isPublic, '=', true), eb(createdBy, '=', key)]));
  }
  if (filter.nameContains)
    filtered = filtered.where(containsText(dialect, sql.ref('name'), filter.nameContains));
  return filtered;
}
