import { Readable } from 'node:stream';
import {
  ReplayRequest,
  ReplayResponse,
  RequestDetail,
  RequestExportQuery,
  RequestIdParams,
  RequestList,
  RequestListQuery,
} from '@structured-prompt/contracts';
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import type { Caller, HistoryService } from './history.service.ts';
import { toDetail, toSummary } from './history-view.ts';
import type { ReplayService } from './replay.service.ts';

const tags = ['history'];

function callerOf(request: FastifyRequest): Caller {
  const { key, isAdmin } = requireAuth(request);
  return { keyId: key.id, isAdmin };
}

export interface RequestsRouteDeps {
  history: HistoryService;
  replay: ReplayService;
}

export function requestsRoutes(app: AppInstance, { history, replay }: RequestsRouteDeps): void {
  listRoute(app, history);
  exportRoute(app, history);
  getRoute(app, history);
  replayRoute(app, replay);
}

function listRoute(app: AppInstance, history: HistoryService): void {
  app.get(
    '/v1/requests',
    {
      schema: {
        summary: 'List stored requests',
        description:
          'The request history, newest first, with cursor pagination. A user key sees only its own ' +
          'requests; an admin key sees every key and may filter by `api_key_id`. `q` searches the ' +
          'stored prompts by words.',
        tags,
        security: apiKeySecurity,
        querystring: RequestListQuery,
        response: { 200: RequestList, ...problemResponses(400, 401, 403, 429, 500) },
      },
    },
    async (request) => {
      const page = await history.list(callerOf(request), request.query);
      return { items: page.items.map(toSummary), next_cursor: page.nextCursor };
    },
  );
}

function getRoute(app: AppInstance, history: HistoryService): void {
  app.get(
    '/v1/requests/:request_id',
    {
      schema: {
        summary: 'Get a stored request',
        description:
          'The stored request: prompt (as sent on, redacted when PII redaction was on), options, schema ' +
          'reference or hash, answer, validation status and errors, each attempt with its cost, timing ' +
          'and cache status. Another key’s request is a 404, like an unknown id.',
        tags,
        security: apiKeySecurity,
        params: RequestIdParams,
        response: { 200: RequestDetail, ...problemResponses(401, 404, 429, 500) },
      },
    },
    async (request) => toDetail(await history.get(callerOf(request), request.params.request_id)),
  );
}

function replayRoute(app: AppInstance, replay: ReplayService): void {
  app.post(
    '/v1/requests/:request_id/replay',
    {
      schema: {
        summary: 'Replay a stored request',
        description:
          'Runs the stored request again — past the cache, optionally with another `provider`, `model` or ' +
          '`schema` — as a new request of the calling key (its limits and budget apply), and answers the new ' +
          'result with a diff against the stored one: changed fields, validation status, provider, cost, ' +
          'tokens and latency. 409 when the prompt was not stored.',
        tags,
        security: apiKeySecurity,
        params: RequestIdParams,
        body: ReplayRequest,
        response: {
          200: ReplayResponse,
          ...problemResponses(400, 401, 402, 404, 409, 422, 429, 500, 502, 504),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const context = { key: requireAuth(request).key, requestId: request.id, ip: request.ip };
      const result = await replay.replay(caller, request.params.request_id, request.body ?? {}, context);
      return { original: toSummary(result.original), replay: result.replay, diff: result.diff };
    },
  );
}

function exportRoute(app: AppInstance, history: HistoryService): void {
  app.get(
    '/v1/requests/export',
    {
      schema: {
        summary: 'Export stored requests as JSON lines',
        description:
          'Streams every stored request the filters match (the same filters as the list), newest first, one ' +
          'JSON object per line as `GET /v1/requests/{id}` returns it. A user key exports its own requests.',
        tags,
        security: apiKeySecurity,
        querystring: RequestExportQuery,
        response: {
          200: {
            description: 'One stored request per line',
            content: { 'application/x-ndjson': { schema: { type: 'string' } } },
          },
          ...problemResponses(400, 401, 403, 429, 500),
        },
      },
    },
    async (request, reply) => {
      // Scope and filters are checked before the first byte, so a refusal is still a problem document.
      const records = history.each(callerOf(request), request.query);
      const lines = async function* () {
        for await (const record of records) yield `${JSON.stringify(toDetail(record))}\n`;
      };
      return (
        reply
          .type('application/x-ndjson')
          .header('content-disposition', 'attachment; filename="requests.jsonl"')
          // A stream, which the typed reply (a string body, as documented) does not model.
          .send(Readable.from(lines()) as never)
      );
    },
  );
}
