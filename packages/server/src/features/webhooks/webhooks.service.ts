import type {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  Webhook,
  WebhookDelivery,
} from '@structured-prompt/contracts';
import { AppError } from '../../lib/app-error.ts';
import type { Page, PageRequest } from '../../platform/storage/pagination.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import type { SsrfGuard } from './ssrf-guard.ts';
import type {
  WebhookDelivery as DeliveryRecord,
  WebhookDeliveriesRepository,
} from './webhook-deliveries.repository.ts';
import type { WebhookEndpoint, WebhookEndpointsRepository } from './webhook-endpoints.repository.ts';
import type { WebhookEventType, WebhookOutbox } from './webhook-outbox.ts';
import { generateWebhookSecret } from './webhook-signature.ts';

/** Who calls: endpoints belong to the key that created them; admin keys reach every endpoint. */
export interface WebhookActor {
  keyId: string;
  isAdmin: boolean;
  ip: string | null;
  requestId: string;
}

export interface WebhooksServiceDeps {
  endpoints: WebhookEndpointsRepository;
  deliveries: WebhookDeliveriesRepository;
  outbox: WebhookOutbox;
  guard: SsrfGuard;
  audit: AuditService;
}

/** Subscriptions, secrets, the delivery log and redelivery. */
export class WebhooksService {
  readonly #deps: WebhooksServiceDeps;

  constructor(deps: WebhooksServiceDeps) {
    this.#deps = deps;
  }

  async create(
    input: CreateWebhookRequest,
    actor: WebhookActor,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    this.#deps.guard.checkUrl(input.url);
    const secret = generateWebhookSecret();
    const endpoint = await this.#deps.endpoints.insert({
      ownerKeyId: actor.keyId,
      kind: 'subscription',
      url: input.url,
      description: input.description ?? null,
      eventTypes: input.event_types ?? [],
      secret,
    });
    this.#audit('webhook.created', endpoint, actor, { url: endpoint.url });
    return { endpoint, secret };
  }

  /**
   * The callback endpoint of one job (`webhook_url`): signed with a secret of its own that the job's
   * submitter receives once. `db` is the transaction that creates the job.
   */
  async createCallback(
    url: string,
    ownerKeyId: string,
    db?: Parameters<WebhookEndpointsRepository['insert']>[1],
  ) {
    this.#deps.guard.checkUrl(url);
    const secret = generateWebhookSecret();
    const endpoint = await this.#deps.endpoints.insert({ ownerKeyId, kind: 'callback', url, secret }, db);
    return { endpointId: endpoint.id, secret };
  }

  list(actor: WebhookActor, page: PageRequest): Promise<Page<WebhookEndpoint>> {
    return this.#deps.endpoints.list(actor.isAdmin ? undefined : actor.keyId, page);
  }

  /** 404 for an endpoint that does not exist or belongs to another key (its existence is not told). */
  async get(id: string, actor: WebhookActor): Promise<WebhookEndpoint> {
    const endpoint = await this.#deps.endpoints.get(id);
    if (endpoint?.kind !== 'subscription' || !(actor.isAdmin || endpoint.ownerKeyId === actor.keyId)) {
      throw new AppError('not_found', `No webhook endpoint ${id}.`);
    }
    return endpoint;
  }

  async update(id: string, input: UpdateWebhookRequest, actor: WebhookActor): Promise<WebhookEndpoint> {
    await this.get(id, actor);
    if (input.url !== undefined) this.#deps.guard.checkUrl(input.url);
    const updated = await this.#deps.endpoints.update(id, {
      url: input.url,
      description: input.description,
      eventTypes: input.event_types,
      enabled: input.enabled,
      ...(input.enabled === false && { disabledReason: 'disabled by its owner' }),
    });
    if (!updated) throw new AppError('not_found', `No webhook endpoint ${id}.`);
    if (input.enabled === false) await this.#deps.deliveries.cancelPending(id);
    this.#audit('webhook.updated', updated, actor, { fields: Object.keys(input) });
    return updated;
  }

  async remove(id: string, actor: WebhookActor): Promise<void> {
    const endpoint = await this.get(id, actor);
    await this.#deps.endpoints.softDelete(id);
    await this.#deps.deliveries.cancelPending(id);
    this.#audit('webhook.deleted', endpoint, actor, {});
  }

  async rotateSecret(id: string, overlapSeconds: number, actor: WebhookActor) {
    await this.get(id, actor);
    const secret = generateWebhookSecret();
    const endpoint = await this.#deps.endpoints.rotateSecret(
      id,
      secret,
      new Date(Date.now() + overlapSeconds * 1000),
    );
    if (!endpoint) throw new AppError('not_found', `No webhook endpoint ${id}.`);
    this.#audit('webhook.secret_rotated', endpoint, actor, { overlap_seconds: overlapSeconds });
    return { endpoint, secret };
  }

  /** Queues a `webhook.test` event for this endpoint alone. */
  async sendTest(id: string, actor: WebhookActor): Promise<string> {
    const endpoint = await this.get(id, actor);
    if (!endpoint.enabled)
      throw new AppError('conflict', `Webhook endpoint ${id} is disabled; enable it first.`);
    const type: WebhookEventType = 'webhook.test';
    const messageId = await this.#deps.outbox.publish({
      type,
      apiKeyId: endpoint.ownerKeyId,
      onlyEndpointId: endpoint.id,
      data: { webhook_id: endpoint.id, requested_by: actor.keyId },
    });
    return `msg_${messageId}`;
  }

  async deliveries(id: string, actor: WebhookActor, page: PageRequest): Promise<Page<DeliveryRecord>> {
    await this.get(id, actor);
    return this.#deps.deliveries.list(id, page);
  }

  async redeliver(id: string, deliveryId: string, actor: WebhookActor): Promise<DeliveryRecord> {
    const endpoint = await this.get(id, actor);
    const delivery = await this.#deps.deliveries.get(deliveryId);
    if (!delivery || delivery.endpointId !== id) {
      throw new AppError('not_found', `No delivery ${deliveryId} for webhook endpoint ${id}.`);
    }
    if (!endpoint.enabled)
      throw new AppError('conflict', `Webhook endpoint ${id} is disabled; enable it first.`);
    return this.#deps.deliveries.redeliver(delivery);
  }

  #audit(
    eventType: string,
    endpoint: WebhookEndpoint,
    actor: WebhookActor,
    details: Record<string, unknown>,
  ) {
    this.#deps.audit.record({
      eventType,
      result: 'success',
      actorKeyId: actor.keyId,
      ip: actor.ip,
      requestId: actor.requestId,
      resource: `webhook:${endpoint.id}`,
      details,
    });
  }
}

export function toWebhookResponse(endpoint: WebhookEndpoint): Webhook {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.eventTypes as Webhook['event_types'],
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    previous_secret_valid_until: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

export function toDeliveryResponse(delivery: DeliveryRecord): WebhookDelivery {
  return {
    id: delivery.id,
    message_id: `msg_${delivery.messageId}`,
    status: delivery.status,
    attempts: delivery.attempts,
    response_status: delivery.lastStatusCode,
    response_body: delivery.lastResponseBody,
    error: delivery.lastError,
    latency_ms: delivery.lastLatencyMs,
    next_attempt_at: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    last_attempt_at: delivery.lastAttemptAt?.toISOString() ?? null,
    created_at: delivery.createdAt.toISOString(),
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
  };
}
