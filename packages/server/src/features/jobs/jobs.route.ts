import {
  AnalyzeRequest,
  AsyncAnalyzeQuery,
  CreateJobRequest,
  Job,
  JobList,
  JobParams,
  JobResults,
  JobResultsQuery,
  ListQuery,
} from '@structured-prompt/contracts';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { problemContentType } from '../../http/plugins/error-handler.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import type { JobsService } from './jobs.service.ts';
import { toItemResult } from './jobs-response.ts';

const tags = ['jobs'];
const idempotencyNote =
  ' Send an `Idempotency-Key` header to make a retry safe: the same key and body within 24 h answer the ' +
  'first response again (same job id) with `Idempotent-Replayed: true`; the same key with another body is ' +
  'a 422, and a repeat while the first request still runs is a 409.';
const reusedKey = {
  description: 'The Idempotency-Key was used with another request.',
  content: { [problemContentType]: { schema: { $ref: 'Problem#' } } },
};

export function jobsRoutes(app: AppInstance, service: JobsService, bodyLimit: number): void {
  submitRoutes(app, service, bodyLimit);
  app.get(
    '/v1/jobs',
    {
      schema: {
        summary: 'List jobs',
        description: "The calling key's jobs, newest first; an admin key sees every key's jobs.",
        tags,
        security: apiKeySecurity,
        querystring: ListQuery,
        response: { 200: JobList, ...problemResponses(400, 401, 429, 500) },
      },
    },
    async (request) => service.list(requireAuth(request), request.query),
  );
  app.get(
    '/v1/jobs/:id',
    {
      schema: {
        summary: 'State and progress of a job',
        description:
          'Status, items per state, usage and cost. Another key’s job answers 404 (admins see all).',
        tags,
        security: apiKeySecurity,
        params: JobParams,
        response: { 200: Job, ...problemResponses(401, 404, 429, 500) },
      },
    },
    async (request) => service.get(request.params.id, requireAuth(request)),
  );
  resultsRoute(app, service);
  app.post(
    '/v1/jobs/:id/cancel',
    {
      schema: {
        summary: 'Cancel a job',
        description:
          'Pending items are cancelled at once; an item already running finishes or stops at its next safe ' +
          'point. A job that already ended answers 409.',
        tags,
        security: apiKeySecurity,
        params: JobParams,
        response: { 200: Job, ...problemResponses(401, 404, 409, 429, 500) },
      },
    },
    async (request) => service.cancel(request.params.id, requireAuth(request)),
  );
}

function submitRoutes(app: AppInstance, service: JobsService, bodyLimit: number): void {
  app.post(
    '/v1/jobs',
    {
      bodyLimit,
      config: { idempotent: true },
      schema: {
        summary: 'Submit an async job',
        description:
          'One analyze request (`request`) or up to 10,000 (`items`), run in the background by the job ' +
          'workers as the calling key (its limits and budget apply to every item). Answers 202 with the job ' +
          'and its `Location`.' +
          idempotencyNote,
        tags,
        security: apiKeySecurity,
        body: CreateJobRequest,
        response: {
          202: Job,
          422: reusedKey,
          ...problemResponses(400, 401, 409, 413, 415, 429, 500, 503),
        },
      },
    },
    async (request, reply) => {
      const job = await service.submit(request.body, requireAuth(request));
      return reply.code(202).header('location', `/v1/jobs/${job.id}`).send(job);
    },
  );
  app.post(
    '/v1/analyze/async',
    {
      config: { idempotent: true },
      schema: {
        summary: 'Analyze in the background',
        description: `The body of POST /v1/analyze, run as a single-item job: answers 202 with the job.${idempotencyNote}`,
        tags: ['analyze', ...tags],
        security: apiKeySecurity,
        body: AnalyzeRequest,
        querystring: AsyncAnalyzeQuery,
        response: {
          202: Job,
          422: reusedKey,
          ...problemResponses(400, 401, 409, 413, 415, 429, 500, 503),
        },
      },
    },
    async (request, reply) => {
      const { webhook_url } = request.query;
      const job = await service.submit({ request: request.body, webhook_url }, requireAuth(request));
      return reply.code(202).header('location', `/v1/jobs/${job.id}`).send(job);
    },
  );
}

function resultsRoute(app: AppInstance, service: JobsService): void {
  app.get(
    '/v1/jobs/:id/results',
    {
      schema: {
        summary: 'Per-item results of a job',
        description:
          'Items in submission order, `limit` per page; pass `next_cursor` back as `cursor` for the next page. ' +
          'Each item has its analyze response once it succeeded, or its last error.',
        tags,
        security: apiKeySecurity,
        params: JobParams,
        querystring: JobResultsQuery,
        response: { 200: JobResults, ...problemResponses(400, 401, 404, 429, 500) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const after = request.query.cursor === undefined ? -1 : Number(request.query.cursor);
      const page = await service.results(request.params.id, requireAuth(request), after, limit);
      return {
        job_id: page.job.id,
        status: page.job.status,
        items: page.items.map(toItemResult),
        next_cursor: page.nextCursor,
      };
    },
  );
}
