import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { secretsEqual } from '../../features/api-keys/api-key-secret.ts';
import type { ApiKeyRecord, ApiKeysRepository } from '../../features/api-keys/api-keys.repository.ts';
import type { KeyVerifier } from '../../features/api-keys/key-verifier.ts';
import type { AuditService } from '../../features/audit-logs/audit.service.ts';
import { AppError } from '../../lib/app-error.ts';
import {
  type LimitsService,
  rateLimitHeaders,
  rateLimitHeaderWriter,
} from '../../platform/limits/limits.service.ts';
import type { LimitDecision } from '../../platform/limits/rate-limit-store.ts';
import type { Metrics } from '../../platform/observability/metrics.ts';
import type { Tracer } from '../../platform/observability/tracing.ts';
import { replyHeaders } from './reply-headers.ts';

/** Who may call a route. Routes default to `user`: forgetting to mark one can only make it stricter. */
export type AuthLevel = 'public' | 'user' | 'admin' | 'metrics';

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
  metrics?: Metrics;
  tracer?: Tracer;
}

/** The docs pages are registered by plugins without our route config; they are public by design. */
const publicPrefixes = ['/docs', '/redoc', '/openapi.json'];
const genericDetail = 'A valid API key is required (X-API-Key header or Authorization: Bearer).';
const wwwAuthenticate = 'Bearer realm="structured-prompt"';

export function authLevelOf(request: FastifyRequest): AuthLevel {
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

export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, options) => {
    const { verifier, limits, audit, metrics, tracer } = options;
    // Spans only when tracing is on; otherwise call straight through (no closure per request).
    const traced = <T>(kind: 'auth' | 'rateLimit', fn: () => Promise<T>): Promise<T> =>
      tracer?.enabled ? tracer[kind](fn) : fn();
    const writeHourlyHeaders = rateLimitHeaderWriter('hourly', 3600);
    const lastTouched = new Map<string, number>();
    const lastRateAudit = new Map<string, number>();

    const ipRefusal = (decision: LimitDecision) => {
      metrics?.recordLimitRejection('ip');
      return new AppError('rate_limited', 'Too many requests from this address; slow down.', {
        headers: rateLimitHeaders('ip', 60, decision),
      });
    };

    /**
     * What follows a key's hourly count, on both paths: rate-limit headers, the refusal when the hour
     * is used up (audited once a minute per key), or the request's auth context.
     */
    const admit = (
      request: FastifyRequest,
      reply: FastifyReply,
      key: ApiKeyRecord,
      isAdmin: boolean,
      decision: LimitDecision,
    ): AppError | undefined => {
      if (!decision.allowed) {
        const headers = rateLimitHeaders('hourly', 3600, decision);
        reply.headers(headers);
        metrics?.recordLimitRejection('hourly');
        // One audit row per key per minute is enough to see abuse without flooding the table.
        const now = Date.now();
        if ((lastRateAudit.get(key.id) ?? 0) < now - 60_000) {
          lastRateAudit.set(key.id, now);
          audit.record({
            eventType: 'rate_limit.exceeded',
            result: 'denied',
            actorKeyId: key.id,
            ip: request.ip,
            requestId: request.id,
            details: { limit: decision.limit, window_seconds: 3600 },
          });
        }
        return new AppError(
          'rate_limited',
          `The key's limit of ${decision.limit} requests per hour is used up.`,
          { headers },
        );
      }
      writeHourlyHeaders(replyHeaders(reply), decision);
      request.auth = { key, isAdmin };
      // Every later log line of this request names the key (its id, never its secret) and the route.
      // (A child logger costs a few microseconds; skip it when nothing at info or below is logged.)
      if (
        (request.log as FastifyBaseLogger & { isLevelEnabled(level: string): boolean }).isLevelEnabled('info')
      ) {
        request.log = request.log.child({ api_key_id: key.id, route: request.routeOptions.url });
        reply.log = request.log;
      }
      const now = Date.now();
      if ((lastTouched.get(key.id) ?? 0) < now - 60_000) {
        lastTouched.set(key.id, now);
        options.keys
          .touchLastUsed(key.id)
          .catch((error: unknown) => request.log.warn({ err: error }, 'could not record key use'));
      }
      return undefined;
    };

    /**
     * The common case decided without waiting (ADR 0018): counters in this process and a key in the
     * verifier's cache. `true` admitted, an error refused, undefined when the full path must decide;
     * it returns undefined only before anything was counted, so the full path never counts twice.
     */
    const decideNow = (
      request: FastifyRequest,
      reply: FastifyReply,
      level: AuthLevel,
    ): true | AppError | undefined => {
      if (tracer?.enabled) return undefined;
      if (level === 'public') {
        const decision = limits.consumeIpNow(request.ip);
        if (!decision) return undefined;
        return decision.allowed ? true : ipRefusal(decision);
      }
      const lockout = limits.lockoutNow(request.ip);
      if (!lockout || lockout.locked) return undefined;
      // Failures, admin checks and first lookups are rare: the full path audits them.
      const verification = verifier.verifyNow(request.headers, request.raw.socket);
      if (!verification?.ok) return undefined;
      const isAdmin = verification.key.scopes.includes('admin');
      if (level === 'admin' && !isAdmin) return undefined;
      const decision = limits.consumeKeyRequestNow(verification.key);
      if (!decision) return undefined;
      return admit(request, reply, verification.key, isAdmin, decision) ?? true;
    };

    /** Every case, waiting on the stores and the database as needed. */
    const decide = async (request: FastifyRequest, reply: FastifyReply, level: AuthLevel): Promise<void> => {
      const ip = request.ip;
      if (level === 'public') {
        const decision = await traced('rateLimit', () => limits.consumeIp(ip));
        if (!decision.allowed) throw ipRefusal(decision);
        return;
      }

      const locked = await traced('rateLimit', () => limits.lockout(ip));
      if (locked) {
        metrics?.recordLimitRejection('auth_lockout');
        throw new AppError(
          'rate_limited',
          'Too many failed authentications from this address; try again later.',
          {
            headers: rateLimitHeaders('auth-failures', 60, locked),
          },
        );
      }

      const verification = await traced('auth', () => verifier.verify(request.headers, request.raw.socket));
      if (!verification.ok) {
        metrics?.recordAuthFailure(verification.reason);
        await limits.recordAuthFailure(ip);
        audit.record({
          eventType: 'auth.failed',
          result: 'denied',
          ip,
          requestId: request.id,
          resource: `${request.method} ${request.routeOptions.url}`,
          details: { reason: verification.reason },
        });
        throw new AppError('unauthorized', genericDetail, {
          headers: { 'www-authenticate': wwwAuthenticate },
          context: { reason: verification.reason },
        });
      }

      const { key } = verification;
      const isAdmin = key.scopes.includes('admin');
      if (level === 'admin' && !isAdmin) {
        audit.record({
          eventType: 'auth.forbidden',
          result: 'denied',
          actorKeyId: key.id,
          ip,
          requestId: request.id,
          resource: `${request.method} ${request.routeOptions.url}`,
          details: { required_scope: 'admin' },
        });
        throw new AppError('forbidden', 'This route needs a key with the admin scope.');
      }

      const decision = await traced('rateLimit', () => limits.consumeKeyRequest(key));
      const refusal = admit(request, reply, key, isAdmin, decision);
      if (refusal) throw refusal;
    };

    // Callback style: the common case completes in the same tick, with no promise per request.
    app.addHook('onRequest', (request, reply, done) => {
      const level = authLevelOf(request);
      if (level === 'metrics') {
        done(metricsTokenRefusal(request, options.metricsToken, metrics));
        return;
      }
      const now = decideNow(request, reply, level);
      if (now !== undefined) {
        done(now === true ? undefined : now);
        return;
      }
      decide(request, reply, level).then(() => done(), done);
    });
  },
  { name: 'auth' },
);

/** The metrics route's own token, when one is configured. */
function metricsTokenRefusal(
  request: FastifyRequest,
  metricsToken: string | undefined,
  metrics: Metrics | undefined,
): AppError | undefined {
  if (!metricsToken) return undefined;
  const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  if (secretsEqual(presented, metricsToken)) return undefined;
  metrics?.recordAuthFailure('metrics_token');
  return new AppError('unauthorized', 'The metrics token is missing or wrong.', {
    headers: { 'www-authenticate': 'Bearer realm="metrics"' },
  });
}
