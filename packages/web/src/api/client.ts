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
import { type AnalyzeInput, StructuredPromptClient } from '@structured-prompt/sdk';
import type { Static } from 'typebox';

/**
 * The one place the dashboard talks to the service: every page calls these methods, which go through
 * the TypeScript SDK (auth header, typed errors, retries of what is safe to repeat). Pages never see
 * the SDK, so its use stays in this file.
 */

export { ApiError } from '@structured-prompt/sdk';

type Query = Record<string, string | number | boolean | undefined | null>;

const id = encodeURIComponent;

export function createApiClient(apiKey: string) {
  // A person is waiting: one retry at most, and a UI-sized timeout.
  const sdk = new StructuredPromptClient({
    baseUrl: window.location.origin,
    apiKey,
    timeoutMs: 120_000,
    retry: { maxRetries: 1 },
  });
  const get = <T>(path: string, query?: Query) =>
    sdk.request<T>({ method: 'GET', path, ...(query ? { query } : {}) });
  const post = <T>(path: string, body?: unknown) =>
    sdk.request<T>({ method: 'POST', path, body: body ?? {} });
  return {
    me: () => get<ApiKey>('/v1/api-keys/me'),
    analyze: (request: AnalyzeRequest) => post<AnalyzeResponse>('/v1/analyze', request),
    /** The same call as server-sent events: partial objects, re-asks, then the validated answer. */
    analyzeStream: (request: AnalyzeRequest, signal: AbortSignal) =>
      sdk.analyzeStream<AnalyzeResponse['data']>(request as AnalyzeInput<Record<string, unknown>>, {
        signal,
      }),
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
        await sdk.raw({
          method: 'GET',
          path: '/v1/usage',
          query: { ...query, format: 'csv' },
          options: { headers: { accept: 'text/csv' } },
        })
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
    revokeKey: (keyId: string) =>
      sdk.request<unknown>({ method: 'DELETE', path: `/v1/api-keys/${id(keyId)}` }),
    activateKey: (keyId: string) => post<ApiKey>(`/v1/api-keys/${id(keyId)}/activate`),
    rotateKey: (keyId: string) => post<Static<typeof ApiKeyWithSecret>>(`/v1/api-keys/${id(keyId)}/rotate`),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
