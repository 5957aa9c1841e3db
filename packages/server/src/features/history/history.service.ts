import type { RequestListQuery } from '@structured-prompt/contracts';
import { AppError } from '../../lib/app-error.ts';
import type { RequestLogRecord } from '../../platform/request-log/request-logs.repository.ts';
import type { Page } from '../../platform/storage/pagination.ts';
import type { HistoryRepository } from './history.repository.ts';
import type { HistoryFilter } from './history-filter.ts';

/** Who is asking: a user key reaches only its own requests, an admin key every key's. */
export interface Caller {
  keyId: string;
  isAdmin: boolean;
}

type FilterQuery = Omit<RequestListQuery, 'limit' | 'cursor'>;

const notFound = (requestId: string) =>
  new AppError('not_found', `No stored request with id "${requestId}" is visible to this key.`);

/** The history as the API exposes it: the caller's scope applied to every read. */
export class HistoryService {
  readonly #repository: HistoryRepository;

  constructor(repository: HistoryRepository) {
    this.#repository = repository;
  }

  /** The filter a query asks for, narrowed to the caller's own key unless it is an admin. */
  filterFor(caller: Caller, query: FilterQuery): HistoryFilter {
    if (!caller.isAdmin && query.api_key_id !== undefined && query.api_key_id !== caller.keyId) {
      throw new AppError('forbidden', 'A user key can read only its own requests.');
    }
    return {
      apiKeyId: caller.isAdmin ? query.api_key_id : caller.keyId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      provider: query.provider,
      model: query.model,
      status: query.status,
      cached: query.cached,
      schema: query.schema,
      template: query.template,
      minLatencyMs: query.min_latency_ms,
      minCostUsd: query.min_cost_usd,
      q: query.q,
    };
  }

  list(caller: Caller, query: RequestListQuery): Promise<Page<RequestLogRecord>> {
    return this.#repository.list(this.filterFor(caller, query), { limit: query.limit, cursor: query.cursor });
  }

  each(caller: Caller, query: FilterQuery): AsyncGenerator<RequestLogRecord> {
    return this.#repository.each(this.filterFor(caller, query));
  }

  /** One stored request; another key's is answered exactly like an unknown id. */
  async get(caller: Caller, requestId: string): Promise<RequestLogRecord> {
    const record = await this.#repository.getByRequestId(requestId);
    if (!record || (!caller.isAdmin && record.apiKeyId !== caller.keyId)) throw notFound(requestId);
    return record;
  }
}
