import { type PagedList, type PageOptions, pagedList } from '../pagination.ts';
import type { CallOptions, Query, Transport } from '../transport.ts';
import type {
  ApiKey,
  ApiKeyWithSecret,
  CacheStatsResponse,
  CreateApiKeyRequest,
  CreateWebhookRequest,
  HealthReport,
  InvalidateQuery,
  InvalidateResponse,
  ProbeReport,
  ProviderStatusList,
  RotateApiKeyRequest,
  RotateWebhookSecretRequest,
  UpdateWebhookRequest,
  WarmReport,
  WarmRequest,
  Webhook,
  WebhookDelivery,
  WebhookTestResult,
  WebhookWithSecret,
} from '../types.ts';

const encode = encodeURIComponent;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The calls of one area of the API, sharing the client's transport. */
class Area {
  protected readonly transport: Transport;
  constructor(transport: Transport) {
    this.transport = transport;
  }

  protected call<T>(
    method: Method,
    path: string,
    body?: unknown,
    options?: CallOptions,
    query?: Query,
  ): Promise<T> {
    // Creating calls (POST) are not repeated after a 5xx: the first one may have taken effect.
    return this.transport.json<T>({ method, path, body, query, idempotent: method !== 'POST', options });
  }
}

/** API keys: `me` for any key, everything else needs an admin key. */
export class ApiKeys extends Area {
  /** The secret is in the answer only this once. */
  create(request: CreateApiKeyRequest, options?: CallOptions): Promise<ApiKeyWithSecret> {
    return this.call('POST', '/v1/api-keys', request, options);
  }
  list(options?: PageOptions): PagedList<ApiKey> {
    return pagedList(this.transport, '/v1/api-keys', options);
  }
  me(options?: CallOptions): Promise<ApiKey> {
    return this.call('GET', '/v1/api-keys/me', undefined, options);
  }
  get(id: string, options?: CallOptions): Promise<ApiKey> {
    return this.call('GET', `/v1/api-keys/${encode(id)}`, undefined, options);
  }
  revoke(id: string, options?: CallOptions): Promise<ApiKey> {
    return this.call('DELETE', `/v1/api-keys/${encode(id)}`, undefined, options);
  }
  activate(id: string, options?: CallOptions): Promise<ApiKey> {
    return this.call('POST', `/v1/api-keys/${encode(id)}/activate`, undefined, options);
  }
  /** A new secret; the old one keeps working for the grace period asked for. */
  rotate(id: string, request: RotateApiKeyRequest, options?: CallOptions): Promise<ApiKeyWithSecret> {
    return this.call('POST', `/v1/api-keys/${encode(id)}/rotate`, request, options);
  }
}

/** Webhook endpoints and their deliveries; check what they receive with `verifyWebhook`. */
export class Webhooks extends Area {
  /** The signing secret is in the answer only this once. */
  create(request: CreateWebhookRequest, options?: CallOptions): Promise<WebhookWithSecret> {
    return this.call('POST', '/v1/webhooks', request, options);
  }
  list(options?: PageOptions): PagedList<Webhook> {
    return pagedList(this.transport, '/v1/webhooks', options);
  }
  get(id: string, options?: CallOptions): Promise<Webhook> {
    return this.call('GET', `/v1/webhooks/${encode(id)}`, undefined, options);
  }
  update(id: string, request: UpdateWebhookRequest, options?: CallOptions): Promise<Webhook> {
    return this.call('PUT', `/v1/webhooks/${encode(id)}`, request, options);
  }
  delete(id: string, options?: CallOptions): Promise<void> {
    return this.call('DELETE', `/v1/webhooks/${encode(id)}`, undefined, options);
  }
  rotateSecret(
    id: string,
    request: RotateWebhookSecretRequest = {},
    options?: CallOptions,
  ): Promise<WebhookWithSecret> {
    return this.call('POST', `/v1/webhooks/${encode(id)}/rotate-secret`, request, options);
  }
  /** Sends a signed test event to the endpoint. */
  test(id: string, options?: CallOptions): Promise<WebhookTestResult> {
    return this.call('POST', `/v1/webhooks/${encode(id)}/test`, undefined, options);
  }
  deliveries(id: string, options?: PageOptions): PagedList<WebhookDelivery> {
    return pagedList(this.transport, `/v1/webhooks/${encode(id)}/deliveries`, options);
  }
  redeliver(id: string, deliveryId: string, options?: CallOptions): Promise<WebhookDelivery> {
    const path = `/v1/webhooks/${encode(id)}/deliveries/${encode(deliveryId)}/redeliver`;
    return this.call('POST', path, undefined, options);
  }
}

/** The response cache. */
export class Cache extends Area {
  stats(options?: CallOptions): Promise<CacheStatsResponse> {
    return this.call('GET', '/v1/analyze/cache/stats', undefined, options);
  }
  /** Drops cached answers matching the query (admin for anything beyond the key's own). */
  invalidate(query: InvalidateQuery, options?: CallOptions): Promise<InvalidateResponse> {
    return this.call('DELETE', '/v1/cache', undefined, options, query as Query);
  }
  /** Starts answering a list of prompts into the cache; follow it with `warmStatus`. */
  warm(request: WarmRequest, options?: CallOptions): Promise<WarmReport> {
    return this.call('POST', '/v1/cache/warm', request, options);
  }
  warmStatus(id: string, options?: CallOptions): Promise<WarmReport> {
    return this.call('GET', `/v1/cache/warm/${encode(id)}`, undefined, options);
  }
}

/** Health and readiness (no key needed), providers' state. */
export class Health extends Area {
  check(options?: CallOptions): Promise<HealthReport> {
    return this.call('GET', '/v1/health', undefined, options);
  }
  live(options?: CallOptions): Promise<ProbeReport> {
    return this.call('GET', '/v1/health/live', undefined, options);
  }
  /** Throws ServerError (503) while the service is not ready. */
  ready(options?: CallOptions): Promise<ProbeReport> {
    return this.call('GET', '/v1/health/ready', undefined, { maxRetries: 0, ...options });
  }
  providers(options?: CallOptions): Promise<ProviderStatusList> {
    return this.call('GET', '/v1/analyze/providers', undefined, options);
  }
}
