import {
  ApiKey,
  ApiKeyList,
  ApiKeyWithSecret,
  CreateApiKeyRequest,
  IdParams,
  ListQuery,
  RotateApiKeyRequest,
} from '@structured-prompt/contracts';
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import { type Actor, type ApiKeysService, toApiKeyResponse } from './api-keys.service.ts';

const tags = ['api-keys'];
const adminErrors = problemResponses(400, 401, 403, 404, 429, 500);

function actorOf(request: FastifyRequest): Actor {
  return { keyId: request.auth?.key.id ?? null, ip: request.ip, requestId: request.id };
}

export function apiKeysRoutes(app: AppInstance, service: ApiKeysService): void {
  createRoute(app, service);
  listRoute(app, service);
  callingKeyRoute(app, service);
  getRoute(app, service);
  revokeRoute(app, service);
  activateRoute(app, service);
  rotateRoute(app, service);
}

function createRoute(app: AppInstance, service: ApiKeysService): void {
  app.post(
    '/v1/api-keys',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Create an API key',
        description:
          'Issues a new key. The secret is in the answer exactly once; only its SHA-256 hash is stored.',
        tags,
        security: apiKeySecurity,
        body: CreateApiKeyRequest,
        response: { 201: ApiKeyWithSecret, ...adminErrors },
      },
    },
    async (request, reply) => {
      const { record, key } = await service.create(request.body, actorOf(request));
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...toApiKeyResponse(record), key });
    },
  );
}

function listRoute(app: AppInstance, service: ApiKeysService): void {
  app.get(
    '/v1/api-keys',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'List API keys',
        description: 'Key metadata, newest first, with cursor pagination. Never hashes or secrets.',
        tags,
        security: apiKeySecurity,
        querystring: ListQuery,
        response: { 200: ApiKeyList, ...adminErrors },
      },
    },
    async (request) => {
      const page = await service.list({ limit: request.query.limit, cursor: request.query.cursor });
      return { items: page.items.map((record) => toApiKeyResponse(record)), next_cursor: page.nextCursor };
    },
  );
}

function callingKeyRoute(app: AppInstance, service: ApiKeysService): void {
  app.get(
    '/v1/api-keys/me',
    {
      schema: {
        summary: 'The calling key',
        description: 'Metadata, limits and usage (this hour and this month) of the key that makes the call.',
        tags,
        security: apiKeySecurity,
        response: { 200: ApiKey, ...problemResponses(401, 429, 500) },
      },
    },
    async (request) => {
      const { record, usage } = await service.get(requireAuth(request).key.id);
      return toApiKeyResponse(record, usage);
    },
  );
}

function getRoute(app: AppInstance, service: ApiKeysService): void {
  app.get(
    '/v1/api-keys/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Get an API key',
        description: 'Metadata of one key with its usage so far this hour and this month.',
        tags,
        security: apiKeySecurity,
        params: IdParams,
        response: { 200: ApiKey, ...adminErrors },
      },
    },
    async (request) => {
      const { record, usage } = await service.get(request.params.id);
      return toApiKeyResponse(record, usage);
    },
  );
}

function revokeRoute(app: AppInstance, service: ApiKeysService): void {
  app.delete(
    '/v1/api-keys/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Revoke an API key',
        description: 'Soft delete: the key stops working on every replica within seconds; its history stays.',
        tags,
        security: apiKeySecurity,
        params: IdParams,
        response: { 200: ApiKey, ...adminErrors },
      },
    },
    async (request) => toApiKeyResponse(await service.revoke(request.params.id, actorOf(request))),
  );
}

function activateRoute(app: AppInstance, service: ApiKeysService): void {
  app.post(
    '/v1/api-keys/:id/activate',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Re-activate a revoked API key',
        description: 'Makes a revoked key work again with its existing secret.',
        tags,
        security: apiKeySecurity,
        params: IdParams,
        response: { 200: ApiKey, ...adminErrors },
      },
    },
    async (request) => toApiKeyResponse(await service.activate(request.params.id, actorOf(request))),
  );
}

function rotateRoute(app: AppInstance, service: ApiKeysService): void {
  app.post(
    '/v1/api-keys/:id/rotate',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Rotate an API key',
        description:
          'Issues a new secret for the same key id (limits, usage and ownership stay). The old secret stops ' +
          'working at once, or after `grace_period_seconds`.',
        tags,
        security: apiKeySecurity,
        params: IdParams,
        body: RotateApiKeyRequest,
        response: { 200: ApiKeyWithSecret, ...problemResponses(400, 401, 403, 404, 409, 429, 500) },
      },
    },
    async (request, reply) => {
      const { record, key } = await service.rotate(
        request.params.id,
        request.body.grace_period_seconds,
        actorOf(request),
      );
      return reply.header('cache-control', 'no-store').send({ ...toApiKeyResponse(record), key });
    },
  );
}
