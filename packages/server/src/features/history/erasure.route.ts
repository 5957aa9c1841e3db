import { DataDeletionRequest, DeletionReceipt, RequestIdParams } from '@structured-prompt/contracts';
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import type { Actor } from '../api-keys/api-keys.service.ts';
import type { ErasureService } from './erasure.service.ts';

function actorOf(request: FastifyRequest): Actor {
  return { keyId: request.auth?.key.id ?? null, ip: request.ip, requestId: request.id };
}

export function erasureRoutes(app: AppInstance, erasure: ErasureService): void {
  app.delete(
    '/v1/requests/:request_id',
    {
      schema: {
        summary: 'Erase a stored request',
        description:
          'Erases the prompt and answer of one stored request from the request log, the response cache ' +
          '(every level and replica) and every other data class that holds them; the counters billing needs ' +
          'stay. Audited; answers a deletion receipt. Its owner or an admin key only.',
        tags: ['history'],
        security: apiKeySecurity,
        params: RequestIdParams,
        response: { 200: DeletionReceipt, ...problemResponses(401, 404, 429, 500) },
      },
    },
    async (request) => {
      const { key, isAdmin } = requireAuth(request);
      return erasure.deleteRequest({ keyId: key.id, isAdmin }, request.params.request_id, actorOf(request));
    },
  );

  app.post(
    '/v1/data/deletions',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Erase the data of a key or a time range',
        description:
          'Erases prompts and answers of every stored request of `api_key_id` and/or in [`from`, `to`) — from ' +
          'the request log, the response cache (L1 and L2) and every registered data class such as job results ' +
          '— keeping anonymised counters for billing. Audited; answers a deletion receipt.',
        tags: ['history'],
        security: apiKeySecurity,
        body: DataDeletionRequest,
        response: { 200: DeletionReceipt, ...problemResponses(400, 401, 403, 429, 500) },
      },
    },
    async (request) => {
      const { api_key_id: apiKeyId, from, to } = request.body;
      return erasure.deleteData(
        {
          ...(apiKeyId ? { apiKeyId } : {}),
          ...(from ? { from: new Date(from) } : {}),
          ...(to ? { to: new Date(to) } : {}),
        },
        actorOf(request),
      );
    },
  );
}
