import type { PagedList, PageOptions } from './pagination.ts';
import { ApiKeys, Cache, Health, Webhooks } from './resources/admin.ts';
import { AnalyzeCalls } from './resources/analyze.ts';
import { Jobs } from './resources/jobs.ts';
import { auditLogs, Requests, Usage } from './resources/requests.ts';
import { Schemas } from './resources/schemas.ts';
import { Templates } from './resources/templates.ts';
import type { RetryPolicy } from './retry.ts';
import { type CallOptions, type RequestSpec, Transport } from './transport.ts';
import type { AuditLogList, AuditLogQuery, ModelList } from './types.ts';

export interface ClientOptions {
  /** Where the service listens, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  /** An API key (`sp_…`), sent as `X-API-Key`. Health checks work without one. */
  apiKey?: string;
  /** Milliseconds one attempt of a call may take; default 60,000. */
  timeoutMs?: number;
  /** Retries of calls that are safe to repeat; default 2 retries, 0.5 s first backoff, 30 s cap. */
  retry?: Partial<RetryPolicy>;
  /** Headers sent with every call. */
  headers?: Record<string, string>;
  /** A `fetch` to use instead of the global one (a proxy agent, a test double, an instrumented one). */
  fetch?: typeof fetch;
}

/**
 * The client of the Structured Prompt Service. One instance per service and key; it holds no
 * connection of its own (the runtime's `fetch` pools them), so it is cheap to create.
 */
export class StructuredPromptClient extends AnalyzeCalls {
  readonly transport: Transport;
  readonly jobs: Jobs;
  readonly schemas: Schemas;
  readonly templates: Templates;
  readonly requests: Requests;
  readonly usage: Usage;
  readonly apiKeys: ApiKeys;
  readonly webhooks: Webhooks;
  readonly cache: Cache;
  readonly health: Health;

  constructor(options: ClientOptions) {
    const transport = new Transport(options);
    super(transport);
    this.transport = transport;
    this.jobs = new Jobs(transport);
    this.schemas = new Schemas(transport);
    this.templates = new Templates(transport);
    this.requests = new Requests(transport);
    this.usage = new Usage(transport);
    this.apiKeys = new ApiKeys(transport);
    this.webhooks = new Webhooks(transport);
    this.cache = new Cache(transport);
    this.health = new Health(transport);
  }

  /** Admin: audit log entries, newest first. */
  auditLogs(
    filters: Omit<AuditLogQuery, 'limit' | 'cursor'> = {},
    options?: PageOptions,
  ): PagedList<AuditLogList['items'][number]> {
    return auditLogs<AuditLogList['items'][number]>(this.transport, filters, options);
  }

  /** `GET /v1/models`: `auto` and every model of every enabled provider, in OpenAI's list format. */
  models(options?: CallOptions): Promise<ModelList> {
    return this.transport.json<ModelList>({ method: 'GET', path: '/v1/models', idempotent: true, options });
  }

  /**
   * Any call by method and path, for endpoints this version does not wrap yet: the answer decoded as
   * JSON. `raw()` returns the unread Response instead (event streams, exports).
   */
  request<T = unknown>(spec: Omit<RequestSpec, 'idempotent'> & { idempotent?: boolean }): Promise<T> {
    return this.transport.json<T>({ idempotent: spec.method === 'GET', ...spec });
  }

  raw(spec: Omit<RequestSpec, 'idempotent'> & { idempotent?: boolean }): Promise<Response> {
    return this.transport.send({ idempotent: spec.method === 'GET', ...spec });
  }
}
