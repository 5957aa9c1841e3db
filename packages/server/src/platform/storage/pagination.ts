import { type SelectQueryBuilder, sql } from 'kysely';
import { AppError } from '../../lib/app-error.ts';
import { isUuid, toDate } from './dialect.ts';

/**
 * Keyset ("cursor") pagination, newest first, over a (timestamp, id) pair. Unlike offsets, a page
 * stays correct while rows are inserted and costs one index range scan however deep the reader goes.
 * The cursor is opaque to clients: base64url of `[iso-timestamp, id]`.
 */
export interface PageRequest {
  /** Items per page; clamped to 1…maxPageLimit, default defaultPageLimit. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const defaultPageLimit = 50;
const maxPageLimit = 200;

export interface CursorPosition {
  at: Date;
  id: string;
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return defaultPageLimit;
  return Math.min(maxPageLimit, Math.max(1, Math.trunc(limit)));
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString('base64url');
}

/** Throws a 400 `bad_request` AppError for anything that is not a cursor this service produced. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      const at = new Date(parsed[0]);
      if (!Number.isNaN(at.getTime()) && isUuid(parsed[1])) {
        return { at, id: parsed[1] };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError(
    'bad_request',
    'The pagination cursor is invalid; use the nextCursor of a previous page.',
  );
}

/**
 * Orders newest first, applies the cursor and fetches one row more than the page, so `toPage` can tell
 * whether another page exists without a count query.
 */
function paginate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: { at: string; id: string },
  request: PageRequest,
): SelectQueryBuilder<DB, TB, O> {
  const at = sql.ref(columns.at);
  const id = sql.ref(columns.id);
  let paged = query
    .orderBy(at, 'desc')
    .orderBy(id, 'desc')
    .limit(pageLimit(request.limit) + 1);
  if (request.cursor) {
    const position = decodeCursor(request.cursor);
    paged = paged.where(
      sql<boolean>`(${at} < ${position.at} or (${at} = ${position.at} and ${id} < ${position.id}))`,
    );
  }
  return paged;
}

/** Cuts the extra row off and builds the next cursor from the last returned row. */
export function toPage<Row, T>(
  rows: Row[],
  request: PageRequest,
  position: (row: Row) => { at: unknown; id: string },
  map: (row: Row) => T,
): Page<T> {
  const limit = pageLimit(request.limit);
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  const nextCursor =
    hasMore && last ? encodeCursor({ at: toDate(position(last).at), id: position(last).id }) : null;
  return { items: pageRows.map(map), nextCursor };
}

/**
 * Runs a keyset-paginated query and builds its page. The next cursor is read from the same two
 * columns the query is ordered by, so a repository names them once.
 */
export async function fetchPage<DB, TB extends keyof DB, O, T>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: { at: keyof O & string; id: keyof O & string },
  request: PageRequest,
  map: (row: O) => T,
): Promise<Page<T>> {
  const rows = await paginate(query, columns, request).execute();
  return toPage(rows, request, (row) => ({ at: row[columns.at], id: String(row[columns.id]) }), map);
}
