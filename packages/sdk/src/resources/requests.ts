import { type PagedList, type PageOptions, pagedList } from '../pagination.ts';
import type { CallOptions, Query, Transport } from '../transport.ts';
import type {
  AuditLogQuery,
  DataDeletionRequest,
  DeletionReceipt,
  ProviderUsageReport,
  ReplayRequest,
  ReplayResponse,
  RequestDetail,
  RequestExportQuery,
  RequestListQuery,
  RequestSummary,
  UsageProvidersQuery,
  UsageQuery,
  UsageReport,
} from '../types.ts';

const encode = encodeURIComponent;

/** Stored requests: search, inspect, replay against another model or schema, export, erase. */
export class Requests {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  list(
    filters: Omit<RequestListQuery, 'limit' | 'cursor'> = {},
    options?: PageOptions,
  ): PagedList<RequestSummary> {
    return pagedList(this.#transport, '/v1/requests', options, filters as Query);
  }

  get(requestId: string, options?: CallOptions): Promise<RequestDetail> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/requests/${encode(requestId)}`,
      idempotent: true,
      options,
    });
  }

  /** Sends the stored prompt again (optionally to another provider, model or schema) and diffs the answers. */
  replay(requestId: string, request: ReplayRequest = {}, options?: CallOptions): Promise<ReplayResponse> {
    return this.#transport.json({
      method: 'POST',
      path: `/v1/requests/${encode(requestId)}/replay`,
      body: request,
      idempotent: false,
      options,
    });
  }

  /** Every matching stored request, one parsed JSON line at a time. */
  async *export(filters: RequestExportQuery = {}, options?: CallOptions): AsyncGenerator<RequestDetail> {
    const response = await this.#transport.send({
      method: 'GET',
      path: '/v1/requests/export',
      query: filters as Query,
      idempotent: true,
      options,
    });
    for await (const line of lines(response)) yield JSON.parse(line) as RequestDetail;
  }

  /** Erases one stored request. */
  delete(requestId: string, options?: CallOptions): Promise<DeletionReceipt> {
    return this.#transport.json({
      method: 'DELETE',
      path: `/v1/requests/${encode(requestId)}`,
      idempotent: true,
      options,
    });
  }

  /** Admin: erases every stored request of a key or matching a subject. */
  deleteData(request: DataDeletionRequest, options?: CallOptions): Promise<DeletionReceipt> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/data/deletions',
      body: request,
      idempotent: true,
      options,
    });
  }
}

/** Usage and cost rollups. */
export class Usage {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  get(query: UsageQuery = {}, options?: CallOptions): Promise<UsageReport> {
    return this.#transport.json({
      method: 'GET',
      path: '/v1/usage',
      query: query as Query,
      idempotent: true,
      options,
    });
  }

  providers(query: UsageProvidersQuery = {}, options?: CallOptions): Promise<ProviderUsageReport> {
    return this.#transport.json({
      method: 'GET',
      path: '/v1/usage/providers',
      query: query as Query,
      idempotent: true,
      options,
    });
  }
}

/** Admin: the append-only audit log. */
export function auditLogs<T>(
  transport: Transport,
  filters: Omit<AuditLogQuery, 'limit' | 'cursor'>,
  options?: PageOptions,
): PagedList<T> {
  return pagedList<T>(transport, '/v1/audit-logs', options, filters as Query);
}

async function* lines(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffered = '';
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffered += decoder.decode(chunk.value, { stream: true });
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) yield part;
  }
  buffered += decoder.decode();
  if (buffered.trim()) yield buffered;
}
