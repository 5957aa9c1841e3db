import type {
  AnalyzeRequest,
  AnalyzeResponse,
  ApiKey,
  ApiKeyWithSecret,
  CreateApiKeyRequest,
  CreateJobRequest,
  CreateSchemaRequest,
  DeadLetterList,
  Job,
  JobList,
  JobResults,
  Problem,
  ProviderStatusList,
  ProviderUsageReport,
  PublishedSchemaVersion,
  PublishSchemaVersionRequest,
  ReplayRequest,
  ReplayResponse,
  RequestDetail,
  RequestList,
  RequestListQuery,
  SchemaDetail,
  SchemaList,
  SchemaListQuery,
  SchemaVersionList,
  Template,
  TemplateList,
  UsageQuery,
  UsageReport,
} from '@structured-prompt/contracts';
import type { Static } from 'typebox';

/**
 * The one place the dashboard talks to the service: every page calls these methods, so the transport
 * can be swapped (for the SDK, say) without touching a page.
 */

/** A failed call: the service's problem document when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Partial<Problem> | undefined;
  constructor(status: number, problem: Partial<Problem> | undefined) {
    super(problem?.detail ?? problem?.title ?? `The service answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

interface CallOptions {
  query?: Query;
  body?: unknown;
  accept?: string;
}

async function call(apiKey: string, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = {
    'x-api-key': apiKey,
    accept: options.accept ?? 'application/json',
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${path}${queryString(options.query)}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => undefined);
    throw new ApiError(response.status, problem as Partial<Problem> | undefined);
  }
  return response;
}

async function json<T>(apiKey: string, method: string, path: string, options?: CallOptions): Promise<T> {
  const response = await call(apiKey, method, path, options);
  return (await response.json()) as T;
}

const id = encodeURIComponent;

export function createApiClient(apiKey: string) {
  const get = <T>(path: string, query?: Query) => json<T>(apiKey, 'GET', path, { query });
  const post = <T>(path: string, body?: unknown) => json<T>(apiKey, 'POST', path, { body: body ?? {} });
  return {
    me: () => get<ApiKey>('/v1/api-keys/me'),
    analyze: (request: AnalyzeRequest) => post<AnalyzeResponse>('/v1/analyze', request),
    providers: () => get<Static<typeof ProviderStatusList>>('/v1/analyze/providers'),
    schemas: (query: SchemaListQuery = {}) =>
      get<Static<typeof SchemaList>>('/v1/schemas', { limit: 200, ...query }),
    schema: (ref: string) => get<SchemaDetail>(`/v1/schemas/${id(ref)}`),
    schemaVersions: (ref: string) =>
      get<Static<typeof SchemaVersionList>>(`/v1/schemas/${id(ref)}/versions`, { limit: 200 }),
    createSchema: (request: CreateSchemaRequest) => post<SchemaDetail>('/v1/schemas', request),
    publishSchemaVersion: (ref: string, request: PublishSchemaVersionRequest) =>
      post<Static<typeof PublishedSchemaVersion>>(`/v1/schemas/${id(ref)}/versions`, request),
    templates: () => get<Static<typeof TemplateList>>('/v1/templates', { limit: 200 }),
    template: (ref: string) => get<Template>(`/v1/templates/${id(ref)}`),
    requests: (query: RequestListQuery) => get<Static<typeof RequestList>>('/v1/requests', query),
    request: (requestId: string) => get<RequestDetail>(`/v1/requests/${id(requestId)}`),
    replay: (requestId: string, request: ReplayRequest) =>
      post<Static<typeof ReplayResponse>>(`/v1/requests/${id(requestId)}/replay`, request),
    usage: (query: UsageQuery) => get<UsageReport>('/v1/usage', query),
    usageCsv: async (query: UsageQuery) =>
      (
        await call(apiKey, 'GET', '/v1/usage', { query: { ...query, format: 'csv' }, accept: 'text/csv' })
      ).text(),
    usageByProvider: (query: { from?: string; to?: string }) =>
      get<Static<typeof ProviderUsageReport>>('/v1/usage/providers', query),
    jobs: () => get<Static<typeof JobList>>('/v1/jobs', { limit: 100 }),
    job: (jobId: string) => get<Job>(`/v1/jobs/${id(jobId)}`),
    jobResults: (jobId: string) => get<Static<typeof JobResults>>(`/v1/jobs/${id(jobId)}/results`),
    createJob: (request: CreateJobRequest) => post<Job>('/v1/jobs', request),
    cancelJob: (jobId: string) => post<Job>(`/v1/jobs/${id(jobId)}/cancel`),
    deadLetters: () => get<Static<typeof DeadLetterList>>('/v1/jobs/dead-letters', { limit: 100 }),
    retryDeadLetter: (letterId: string) => post<unknown>(`/v1/jobs/dead-letters/${id(letterId)}/retry`),
    keys: () => get<{ items: ApiKey[]; next_cursor: string | null }>('/v1/api-keys', { limit: 200 }),
    key: (keyId: string) => get<ApiKey>(`/v1/api-keys/${id(keyId)}`),
    createKey: (request: CreateApiKeyRequest) =>
      post<Static<typeof ApiKeyWithSecret>>('/v1/api-keys', request),
    revokeKey: (keyId: string) => json<unknown>(apiKey, 'DELETE', `/v1/api-keys/${id(keyId)}`),
    activateKey: (keyId: string) => post<ApiKey>(`/v1/api-keys/${id(keyId)}/activate`),
    rotateKey: (keyId: string) => post<Static<typeof ApiKeyWithSecret>>(`/v1/api-keys/${id(keyId)}/rotate`),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
