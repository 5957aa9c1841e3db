import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { secretsEqual } from '../../features/api-keys/api-key-secret.ts';
import type { ApiKeyRecord, ApiKeysRepository } from '../../features/api-keys/api-keys.repository.ts';
import type { KeyVerifier } from '../../features/api-keys/key-verifier.ts';
import type { AuditService } from '../../features/audit-logs/audit.service.ts';
import { AppError } from '../../lib/app-error.ts';
import { type LimitsService, rateLimitHeaders } from '../../platform/limits/limits.service.ts';
import type { Metrics } from '../../platform/observability/metrics.ts';
import type { Tracer } from '../../platform/observability/tracing.ts';

/** Who may call a route. Routes default to `user`: forgetting to mark one can only make it stricter. */
type AuthLevel = 'public' | 'user' | 'admin' | 'metrics';

export interface AuthContext {
  key: ApiKeyRecord;
  isAdmin: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthLevel;
  }
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

export interface AuthPluginOptions {
  verifier: KeyVerifier;
  limits: LimitsService;
  audit: AuditService;
  keys: Pick<ApiKeysRepository, 'touchLastUsed'>;
  metricsToken?: string;
  metrics: Metrics;
  tracer: Tracer;
}

/** The docs pages are registered by plugins without our route config; they are public by design. */
const publicPrefixes = ['/docs', '/redoc', '/openapi.json'];
const genericDetail = 'A valid API key is required (X-API-Key header or Authorization: Bearer).';
const wwwAuthenticate = 'Bearer realm="structured-prompt"';
const hourSeconds = 3600;

function authLevelOf(request: FastifyRequest): AuthLevel {
  const url = request.routeOptions.url;
  if (url === undefined) return 'public'; // no route matched: the 404 handler answers
  const configured = request.routeOptions.config.auth;
  if (configured) return configured;
  return publicPrefixes.some((prefix) => url === prefix || url.startsWith(`${prefix}/`)) ? 'public' : 'user';
}

export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth)
    throw new AppError('unauthorized', genericDetail, { headers: { 'www-authenticate': wwwAuthenticate } });
  return request.auth;
}

/** Authenticates, authorizes and counts every request before its body is read. */
export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, options) => {
    const authenticator = new Authenticator(options);
    app.addHook('onRequest', async (request, reply) => authenticator.authenticate(request, reply));
  },
  { name: 'auth' },
);

class Authenticator {
  readonly #options: AuthPluginOptions;
  /** Keys whose last use was recorded in the past minute: one database write per key per minute. */
  readonly #recentlyTouched = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });
  /** Keys whose exhausted hour was audited in the past minute: enough to see abuse, not a flood. */
  readonly #recentlyAuditedLimit = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });

  constructor(options: AuthPluginOptions) {
    this.#options = options;
  }

  async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const level = authLevelOf(request);
    if (level === 'metrics') return this.#checkMetricsToken(request);
    if (level === 'public') return this.#limitAddress(request);
    const key = await this.#verifiedKey(request);
    const isAdmin = this.#checkScope(request, key, level);
    await this.#countHourly(request, reply, key);
    this.#admit(request, key, isAdmin);
  }

  /** The metrics route's own token, when one is configured; API keys are not accepted there. */
  #checkMetricsToken(request: FastifyRequest): void {
    const { metricsToken, metrics } = this.#options;
    if (!metricsToken) return;
    const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (secretsEqual(presented, metricsToken)) return;
    metrics.recordAuthFailure('metrics_token');
    throw new AppError('unauthorized', 'The metrics token is missing or wrong.', {
      headers: { 'www-authenticate': 'Bearer realm="metrics"' },
    });
  }

  /** Unauthenticated traffic, counted per client address. */
  async #limitAddress(request: FastifyRequest): Promise<void> {
    const { limits, tracer, metrics } = this.#options;
    const decision = await tracer.rateLimit(() => limits.consumeIp(request.ip));
    if (decision.allowed) return;
    metrics.recordLimitRejection('ip');
    throw new AppError('rate_limited', 'Too many requests from this address; slow down.', {
      headers: rateLimitHeaders('ip', 60, decision),
    });
  }

  /**
   * A failed authentication from an address that has failed too often is refused with 429 until the
   * lockout ends. Only failures are locked out: a valid key from the same address (a shared NAT, the
   * admin behind the attacker's proxy) is still admitted, and keys are too long to guess.
   */
  async #refuseLockedOutFailure(request: FastifyRequest): Promise<void> {
    const { limits, tracer, metrics } = this.#options;
    const locked = await tracer.rateLimit(() => limits.lockout(request.ip));
    if (!locked) return;
    metrics.recordLimitRejection('auth_lockout');
    throw new AppError(
      'rate_limited',
      'Too many failed authentications from this address; try again later.',
      {
        headers: rateLimitHeaders('auth-failures', 60, locked),
      },
    );
  }

  /**
   * The presented key, or a 401 whose detail is the same whatever was wrong: the reason goes to the
   * audit log and the metrics, never to the client. Each failure counts towards the lockout.
   */
  async #verifiedKey(request: FastifyRequest): Promise<ApiKeyRecord> {
    const { verifier, limits, audit, tracer, metrics } = this.#options;
    const verification = await tracer.auth(() => verifier.verify(request.headers));
    if (verification.ok) return verification.key;
    metrics.recordAuthFailure(verification.reason);
    await this.#refuseLockedOutFailure(request);
    await limits.recordAuthFailure(request.ip);
    audit.record({
      eventType: 'auth.failed',
      result: 'denied',
      ip: request.ip,
      requestId: request.id,
      resource: `${request.method} ${request.routeOptions.url}`,
      details: { reason: verification.reason },
    });
    throw new AppError('unauthorized', genericDetail, {
      headers: { 'www-authenticate': wwwAuthenticate },
      context: { reason: verification.reason },
    });
  }

  /** Admin routes need the admin scope; returns whether the key has it. */
  #checkScope(request: FastifyRequest, key: ApiKeyRecord, level: AuthLevel): boolean {
    const isAdmin = key.scopes.includes('admin');
    if (level !== 'admin' || isAdmin) return isAdmin;
    this.#options.audit.record({
      eventType: 'auth.forbidden',
      result: 'denied',
      actorKeyId: key.id,
      ip: request.ip,
      requestId: request.id,
      resource: `${request.method} ${request.routeOptions.url}`,
      details: { required_scope: 'admin' },
    });
    throw new AppError('forbidden', 'This route needs a key with the admin scope.');
  }

  /** One request against the key's hour; its rate-limit headers go on the answer either way. */
  async #countHourly(request: FastifyRequest, reply: FastifyReply, key: ApiKeyRecord): Promise<void> {
    const { limits, tracer, metrics } = this.#options;
    const decision = await tracer.rateLimit(() => limits.consumeKeyRequest(key));
    const headers = rateLimitHeaders('hourly', hourSeconds, decision);
    reply.headers(headers);
    if (decision.allowed) return;
    metrics.recordLimitRejection('hourly');
    if (!this.#recentlyAuditedLimit.has(key.id)) {
      this.#recentlyAuditedLimit.set(key.id, true);
      this.#options.audit.record({
        eventType: 'rate_limit.exceeded',
        result: 'denied',
        actorKeyId: key.id,
        ip: request.ip,
        requestId: request.id,
        details: { limit: decision.limit, window_seconds: hourSeconds },
      });
    }
    throw new AppError('rate_limited', `The key's limit of ${decision.limit} requests per hour is used up.`, {
      headers,
    });
  }

  /** The request's auth context (the access log names its key), and the key's last use recorded. */
  #admit(request: FastifyRequest, key: ApiKeyRecord, isAdmin: boolean): void {
    request.auth = { key, isAdmin };
    if (this.#recentlyTouched.has(key.id)) return;
    this.#recentlyTouched.set(key.id, true);
    this.#options.keys
      .touchLastUsed(key.id)
      .catch((error: unknown) => request.log.warn({ err: error }, 'could not record key use'));
  }
}
