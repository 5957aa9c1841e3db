import type { CallOptions, Query, Transport } from './transport.ts';

/** One page of a cursor-paged list, as every list endpoint answers. */
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/**
 * A list that pages itself: `for await (const item of list)` walks every page, following
 * `next_cursor`; `firstPage()` fetches one page; `toArray(max)` collects up to `max` items.
 */
export class PagedList<T> implements AsyncIterable<T> {
  readonly #fetchPage: (cursor: string | undefined) => Promise<Page<T>>;
  readonly #startCursor: string | undefined;

  constructor(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, startCursor?: string) {
    this.#fetchPage = fetchPage;
    this.#startCursor = startCursor;
  }

  firstPage(): Promise<Page<T>> {
    return this.#fetchPage(this.#startCursor);
  }

  async *pages(): AsyncGenerator<Page<T>> {
    let cursor = this.#startCursor;
    do {
      const page = await this.#fetchPage(cursor);
      yield page;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) yield* page.items;
  }

  async toArray(max = Number.POSITIVE_INFINITY): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this) {
      if (items.length >= max) break;
      items.push(item);
    }
    return items;
  }
}

/** Paging settings of a list call. */
export interface PageOptions extends CallOptions {
  /** Items per page. */
  limit?: number;
  /** Where to start: a `next_cursor` from an earlier page. */
  cursor?: string;
}

/** A GET list endpoint as a PagedList; `query` holds its filters. */
export function pagedList<T>(
  transport: Transport,
  path: string,
  options: PageOptions = {},
  query: Query = {},
): PagedList<T> {
  const { limit, cursor, ...call } = options;
  return new PagedList<T>(
    (next) =>
      transport.json<Page<T>>({
        method: 'GET',
        path,
        query: { ...query, limit, cursor: next },
        idempotent: true,
        options: call,
      }),
    cursor,
  );
}
