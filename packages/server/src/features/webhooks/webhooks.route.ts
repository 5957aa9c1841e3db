import {
  CreateWebhookRequest,
  IdParams,
  ListQuery,
  RotateWebhookSecretRequest,
  UpdateWebhookRequest,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryParams,
  WebhookList,
  WebhookTestResult,
  WebhookWithSecret,
} from '@structured-prompt/contracts';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import {
  toDeliveryResponse,
  toWebhookResponse,
  type WebhookActor,
  type WebhooksService,
} from './webhooks.service.ts';

const tags = ['webhooks'];
const errors = problemResponses(400, 401, 403, 404, 409, 429, 500);

function actorOf(request: FastifyRequest): WebhookActor {
  const auth = requireAuth(request);
  return { keyId: auth.key.id, isAdmin: auth.isAdmin, ip: request.ip, requestId: request.id };
}

/** `/v1/webhooks`: every key manages its own endpoints; admin keys see and manage all. */
export function webhooksRoutes(app: AppInstance, service: WebhooksService): void {
  const schema = (summary: string, description: string) => ({
    summary,
    description,
    tags,
    security: apiKeySecurity,
  });

  app.post(
    '/v1/webhooks',
    {
      schema: {
        ...schema(
          'Create a webhook endpoint',
          'Subscribes a URL to events. The signing secret is in this answer only.',
        ),
        body: CreateWebhookRequest,
        response: { 201: WebhookWithSecret, ...errors },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await service.create(request.body, actorOf(request));
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...toWebhookResponse(endpoint), secret });
    },
  );
  app.get(
    '/v1/webhooks',
    {
      schema: {
        ...schema('List webhook endpoints', 'Newest first, with cursor pagination.'),
        querystring: ListQuery,
        response: { 200: WebhookList, ...errors },
      },
    },
    async (request) => {
      const page = await service.list(actorOf(request), request.query);
      return { items: page.items.map(toWebhookResponse), next_cursor: page.nextCursor };
    },
  );
  app.get(
    '/v1/webhooks/:id',
    {
      schema: {
        ...schema('Get a webhook endpoint', 'Never returns the secret.'),
        params: IdParams,
        response: { 200: Webhook, ...errors },
      },
    },
    async (request) => toWebhookResponse(await service.get(request.params.id, actorOf(request))),
  );
  changeRoutes(app, service, schema);
  secretAndTestRoutes(app, service, schema);
  deliveryRoutes(app, service, schema);
}

type SchemaOf = (summary: string, description: string) => Record<string, unknown>;

function changeRoutes(app: AppInstance, service: WebhooksService, schema: SchemaOf): void {
  app.put(
    '/v1/webhooks/:id',
    {
      schema: {
        ...schema(
          'Change a webhook endpoint',
          'URL, events, description, or enabled (true re-enables a disabled endpoint).',
        ),
        params: IdParams,
        body: UpdateWebhookRequest,
        response: { 200: Webhook, ...errors },
      },
    },
    async (request) =>
      toWebhookResponse(await service.update(request.params.id, request.body, actorOf(request))),
  );
  app.delete(
    '/v1/webhooks/:id',
    {
      schema: {
        ...schema('Delete a webhook endpoint', 'Pending deliveries are cancelled; the delivery log stays.'),
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await service.remove(request.params.id, actorOf(request));
      return reply.code(204).send(null);
    },
  );
}

function secretAndTestRoutes(app: AppInstance, service: WebhooksService, schema: SchemaOf): void {
  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      schema: {
        ...schema(
          'Rotate the signing secret',
          'Issues a new secret; the previous one keeps signing for `overlap_seconds` (default one day).',
        ),
        params: IdParams,
        body: RotateWebhookSecretRequest,
        response: { 200: WebhookWithSecret, ...errors },
      },
    },
    async (request, reply) => {
      const overlap = request.body?.overlap_seconds ?? 86_400;
      const { endpoint, secret } = await service.rotateSecret(request.params.id, overlap, actorOf(request));
      return reply.header('cache-control', 'no-store').send({ ...toWebhookResponse(endpoint), secret });
    },
  );
  app.post(
    '/v1/webhooks/:id/test',
    {
      schema: {
        ...schema(
          'Send a test event',
          'Queues a `webhook.test` event for this endpoint; its delivery shows in the log.',
        ),
        params: IdParams,
        response: { 202: WebhookTestResult, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ message_id: await service.sendTest(request.params.id, actorOf(request)) }),
  );
}

function deliveryRoutes(app: AppInstance, service: WebhooksService, schema: SchemaOf): void {
  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        ...schema(
          'List deliveries',
          'Newest first: status, attempts, last answer (truncated), latency and next retry.',
        ),
        params: IdParams,
        querystring: ListQuery,
        response: { 200: WebhookDeliveryList, ...errors },
      },
    },
    async (request) => {
      const page = await service.deliveries(request.params.id, actorOf(request), request.query);
      return { items: page.items.map(toDeliveryResponse), next_cursor: page.nextCursor };
    },
  );
  app.post(
    '/v1/webhooks/:id/deliveries/:delivery_id/redeliver',
    {
      schema: {
        ...schema('Redeliver', 'Sends the same message (same `webhook-id`) again as a new delivery.'),
        params: WebhookDeliveryParams,
        response: { 202: WebhookDelivery, ...errors },
      },
    },
    async (request, reply) => {
      const delivery = await service.redeliver(
        request.params.id,
        request.params.delivery_id,
        actorOf(request),
      );
      return reply.code(202).send(toDeliveryResponse(delivery));
    },
  );
}
